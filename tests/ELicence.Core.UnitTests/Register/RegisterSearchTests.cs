using ELicence.Core.Register;

namespace ELicence.Core.UnitTests.Register;

/// <summary>Search of the public register over the in-memory index, kept by the indexer exactly as the outbox drives it.</summary>
public class RegisterSearchTests
{
    private readonly InMemoryRegister _register = new();
    private readonly InMemoryRegisterIndex _index = new();
    private readonly RegisterOptions _options = new() { SearchTermCap = 50 };

    private RegisterSearch Search => new(_index, _options);

    private async Task<Licence> AddAsync(int sequence, string name, string? nameEn = null, LicenceStatus status = LicenceStatus.Active)
    {
        var licence = Builders.Licence(sequence);
        licence = _register.Licences.Seed(licence with
        {
            Status = status,
            Details = licence.Details with { Name = name, English = nameEn is null ? null : new EnglishRendering(nameEn, null, null, null, null) },
        });
        await new RegisterIndexer(_register.Licences, _index).IndexAsync(licence.Code, default);
        return licence;
    }

    private Task<RegisterSearchPage> FindAsync(string q, string? status = null, string? limit = null, string? token = null) =>
        Search.SearchAsync(new RegisterSearchRequest(q, status, null, limit, token), default);

    [Fact]
    public async Task Part_of_a_Chinese_name_finds_the_licence()
    {
        var licence = await AddAsync(7, "阿图什市天山果业有限公司");
        await AddAsync(8, "阿图什市昆仑玉石有限公司");

        var hit = Assert.Single((await FindAsync("天山果业")).Results);

        Assert.Equal(licence.Code.Value, hit.CreditCode);
        Assert.Equal(SearchMatch.Name, hit.Match);
        Assert.False(hit.FormerName);
    }

    [Theory]
    [InlineData("tianshan fruit")]
    [InlineData("TIANSHAN")]
    [InlineData("ｔｉａｎｓｈａｎ　Ｆｒｕｉｔ")]
    [InlineData("天山果業有限")]
    public async Task Case_width_and_word_order_do_not_matter_but_characters_do(string q)
    {
        await AddAsync(7, "阿图什市天山果业有限公司", "Atushi Tianshan Fruit Co., Ltd.");

        var results = (await FindAsync(q)).Results;

        // 業 is not 业: NFKC folds widths and compatibility forms, not traditional to simplified characters.
        Assert.Equal(q.Contains('業', StringComparison.Ordinal) ? 0 : 1, results.Count);
    }

    [Fact]
    public async Task Full_width_Chinese_query_punctuation_and_half_width_katakana_are_folded()
    {
        await AddAsync(7, "アトゥシ商事（株）");

        Assert.Single((await FindAsync("ｱﾄｩｼ商事")).Results);
    }

    [Fact]
    public async Task Exact_code_ranks_first_then_exact_name_then_partial_names()
    {
        var partial = await AddAsync(7, "阿图什市天山果业有限公司");
        var exact = await AddAsync(8, "天山果业");

        var results = (await FindAsync("天山果业")).Results;
        Assert.Equal([exact.Code.Value, partial.Code.Value], results.Select(r => r.CreditCode));
        Assert.Equal([SearchMatch.ExactName, SearchMatch.Name], results.Select(r => r.Match));

        var byCode = Assert.Single((await FindAsync(partial.Code.Value.ToLowerInvariant())).Results);
        Assert.Equal(SearchMatch.ExactCode, byCode.Match);
    }

    [Fact]
    public async Task Part_of_a_credit_code_finds_the_licence()
    {
        var licence = await AddAsync(7, "阿图什市天山果业有限公司");
        await AddAsync(8, "阿图什市昆仑玉石有限公司");

        var hit = Assert.Single((await FindAsync(licence.Code.Value[8..17])).Results);

        Assert.Equal(licence.Code.Value, hit.CreditCode);
        Assert.Equal(SearchMatch.Code, hit.Match);
    }

    [Fact]
    public async Task A_former_name_still_finds_the_licence_after_an_amendment_marked_as_former()
    {
        var original = Builders.Licence(7) with { Details = Builders.Licence(7).Details with { Name = "阿图什市天山果业有限公司" } };
        var renamed = original with { Version = 2, Details = original.Details with { Name = "阿图什市帕米尔农业有限公司" }, EventCount = 2 };
        _register.Licences.Seed(renamed);
        _register.Licences.SeedEarlierVersion(original);
        await new RegisterIndexer(_register.Licences, _index).IndexAsync(original.Code, default);

        var byFormer = Assert.Single((await FindAsync("天山果业")).Results);
        var byCurrent = Assert.Single((await FindAsync("帕米尔农业")).Results);

        Assert.True(byFormer.FormerName);
        Assert.Equal(SearchMatch.FormerName, byFormer.Match);
        Assert.Equal("阿图什市天山果业有限公司", byFormer.MatchedName);
        Assert.Equal("阿图什市帕米尔农业有限公司", byFormer.Name);
        Assert.False(byCurrent.FormerName);
    }

    [Fact]
    public async Task Status_filter_and_paging_with_a_continuation_token_return_each_hit_once()
    {
        for (var i = 0; i < 30; i++)
        {
            await AddAsync(100 + i, $"阿图什市果业{i}号合作社", status: i % 3 == 0 ? LicenceStatus.Suspended : LicenceStatus.Active);
        }

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await FindAsync("果业", status: "active", limit: "7", token: token);
            Assert.InRange(page.Results.Count, 1, 7);
            Assert.All(page.Results, r => Assert.Equal(LicenceStatus.Active, r.Status));
            seen.AddRange(page.Results.Select(r => r.CreditCode));
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(20, seen.Count);
        Assert.Equal(20, seen.Distinct().Count());
    }

    [Fact]
    public async Task A_query_every_part_of_which_is_too_common_is_refused_not_scanned()
    {
        for (var i = 0; i < _options.SearchTermCap + 1; i++)
        {
            await AddAsync(200 + i, $"阿图什市第{i}有限公司");
        }

        var problem = await Assert.ThrowsAsync<ProblemException>(() => FindAsync("有限公司"));

        Assert.Equal(ProblemType.Validation, problem.Type);
        Assert.Equal("q", Assert.Single(problem.Errors).Field);
        Assert.Single((await FindAsync("第7有限")).Results); // one rare part is enough
    }

    [Theory]
    [InlineData(null, "q")]
    [InlineData("", "q")]
    [InlineData("天", "q")]
    [InlineData("  a ", "q")]
    [InlineData("天山\u0000", "q")]
    [InlineData("天山\u202E", "q")]
    [InlineData("天山*", "q")]
    [InlineData("%天山%", "q")]
    [InlineData("' or 1 eq 1 _", "q")]
    [InlineData("--", "q")]
    public async Task Bad_queries_are_a_problem_naming_q(string? q, string field)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => Search.SearchAsync(new RegisterSearchRequest(q), default));

        Assert.Equal(field, Assert.Single(problem.Errors).Field);
    }

    [Fact]
    public async Task Over_one_hundred_characters_is_refused()
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => FindAsync(new string('天', 101)));
        Assert.Equal("q", Assert.Single(problem.Errors).Field);
        await FindAsync(new string('天', 100)); // the limit itself is allowed
    }

    [Theory]
    [InlineData("0", null, null, "limit")]
    [InlineData("51", null, null, "limit")]
    [InlineData("1e1", null, null, "limit")]
    [InlineData(null, "cancelled", null, "status")]
    [InlineData(null, "Active", null, "status")]
    [InlineData(null, null, "not-a-token", "continuationToken")]
    public async Task Bad_filters_and_tokens_are_a_problem_naming_the_parameter(string? limit, string? status, string? token, string field)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => FindAsync("天山", status, limit, token));

        Assert.Equal(field, Assert.Single(problem.Errors).Field);
    }

    [Fact]
    public async Task A_continuation_token_only_continues_the_query_it_came_from()
    {
        for (var i = 0; i < 3; i++)
        {
            await AddAsync(300 + i, $"天山{i}果业有限公司");
        }

        var token = (await FindAsync("天山", limit: "1")).ContinuationToken;
        Assert.NotNull(token);

        var problem = await Assert.ThrowsAsync<ProblemException>(() => FindAsync("果业", limit: "1", token: token));
        Assert.Equal("continuationToken", Assert.Single(problem.Errors).Field);
    }

    [Fact]
    public async Task Indexing_again_without_a_change_writes_nothing_and_a_status_change_rewrites()
    {
        var licence = await AddAsync(7, "阿图什市天山果业有限公司");
        var indexer = new RegisterIndexer(_register.Licences, _index);
        var writes = _index.Writes;

        await indexer.IndexAsync(licence.Code, default);
        Assert.Equal(writes, _index.Writes);

        _register.Licences.Seed(licence with { Status = LicenceStatus.Suspended });
        await indexer.IndexAsync(licence.Code, default);
        Assert.Equal(LicenceStatus.Suspended, Assert.Single((await FindAsync("天山果业")).Results).Status);
    }
}
