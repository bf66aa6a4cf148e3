using ELicence.Core.Serialization;
using ELicence.Storage;
using ELicence.Storage.Applications;

namespace ELicence.IntegrationTests;

/// <summary>Idempotent submission and issuance: one application per key, one licence and one code per application.</summary>
[Collection(ServiceCollection.Name)]
public class IssuanceTests(ServiceFixture service)
{
    [Fact]
    public async Task The_same_idempotency_key_and_body_give_the_same_application_and_one_licence()
    {
        var key = Guid.NewGuid().ToString();
        var body = Applications.Valid("阿图什市幂等测试有限公司");

        var ids = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => service.SubmitAsync(body, key)));
        var settled = await service.WaitUntilSettledAsync(ids[0]);
        var again = await service.SubmitAsync(body, key);

        Assert.Single(ids.Append(again).Distinct());
        Assert.Equal("issued", settled.GetProperty("status").GetString());
        Assert.Single(await service.QueryAsync(StorageNames.LicencesTable, $"ApplicationId eq '{ids[0]}' and RowKey eq 'current'"));
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_refused_with_422()
    {
        var key = Guid.NewGuid().ToString();
        await service.SubmitAsync(Applications.Valid("阿图什市第一有限公司"), key);
        var before = await service.SnapshotAsync();

        var (status, problem, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/applications", service.RegistrarKey, Applications.Valid("阿图什市第二有限公司"), key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("urn:elicence:problem:idempotency-key-reused", problem.GetProperty("type").GetString());
        Assert.Equal(before.Applications, (await service.SnapshotAsync()).Applications);
    }

    [Fact]
    public async Task Two_Idempotency_Key_headers_are_refused_naming_the_header()
    {
        using var request = service.Request(HttpMethod.Post, "/api/v1/applications", service.RegistrarKey, Applications.Valid());
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "k1");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "k2");

        var response = await service.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submissions_without_a_key_are_separate_applications()
    {
        var first = await service.SubmitAsync(Applications.Valid());
        var second = await service.SubmitAsync(Applications.Valid());

        Assert.NotEqual(first, second);
        Assert.NotEqual((await service.WaitUntilSettledAsync(first)).GetProperty("creditCode").GetString(), (await service.WaitUntilSettledAsync(second)).GetProperty("creditCode").GetString());
    }

    [Fact]
    public async Task A_redelivered_issuance_message_changes_nothing()
    {
        var id = await service.SubmitAsync(Applications.Valid("阿图什市重投测试有限公司"));
        var first = await service.WaitUntilSettledAsync(id);
        var queue = service.Storage.Queue(StorageNames.IssuanceQueue);

        // The queue delivers the same message again, twice (at-least-once delivery).
        await queue.SendMessageAsync(ElicenceJson.Serialize(new Core.Applications.IssueLicenceMessage(id)));
        await queue.SendMessageAsync(ElicenceJson.Serialize(new Core.Applications.IssueLicenceMessage(id)));
        await WaitUntilQueueIsDrainedAsync();

        var after = await service.WaitUntilSettledAsync(id);
        Assert.Equal(first.GetProperty("creditCode").GetString(), after.GetProperty("creditCode").GetString());
        Assert.Single(await service.QueryAsync(StorageNames.LicencesTable, $"ApplicationId eq '{id}' and RowKey eq 'current'"));
        Assert.Single(await service.QueryAsync(StorageNames.SequenceTable, $"PartitionKey eq 'registry' and RowKey eq 'claim-{id}'"));
    }

    [Fact]
    public async Task Concurrent_issuance_never_hands_out_a_code_twice()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => service.SubmitAsync(Applications.Valid($"阿图什市并发测试{i}号有限公司"))));
        var codes = new List<string>();
        foreach (var id in ids)
        {
            codes.Add((await service.WaitUntilSettledAsync(id)).GetProperty("creditCode").GetString()!);
        }

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.True(ELicence.Core.CreditCodes.CreditCode.Validate(c).IsValid));
    }

    [Fact]
    public async Task Two_hundred_applications_submitted_at_once_are_each_issued_exactly_once()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => service.SubmitAsync(Applications.Valid($"阿图什市同时申请{i}号有限公司"))));
        var codes = new List<string>();
        foreach (var id in ids)
        {
            var settled = await service.WaitUntilSettledAsync(id);
            Assert.Equal("issued", settled.GetProperty("status").GetString());
            codes.Add(settled.GetProperty("creditCode").GetString()!);
        }

        Assert.Equal(200, ids.Distinct().Count());
        Assert.Equal(200, codes.Distinct().Count());
        var ours = ids.ToHashSet();
        var licences = (await service.QueryAsync(StorageNames.LicencesTable, "RowKey eq 'current'")).Where(e => ours.Contains(e.GetString("ApplicationId"))).ToList();
        Assert.Equal(codes.Order(), licences.Select(e => e.PartitionKey).Order());
        Assert.Equal(200, licences.Select(e => e.GetInt64("StatusListIndex")).Distinct().Count());
    }

    [Fact]
    public async Task The_sequence_allocator_gives_distinct_numbers_under_contention_and_the_same_number_to_the_same_claimant()
    {
        var allocator = new ELicence.Storage.Licences.SequenceAllocator(service.Storage);
        var claimants = Enumerable.Range(0, 20).Select(i => $"test-{Guid.NewGuid():N}").ToList();

        var numbers = await Task.WhenAll(claimants.Select(c => allocator.AllocateAsync("test", c, default)));
        var repeated = await Task.WhenAll(claimants.Take(5).SelectMany(c => new[] { allocator.AllocateAsync("test", c, default), allocator.AllocateAsync("test", c, default) }));

        Assert.Equal(numbers.Length, numbers.Distinct().Count());
        Assert.Equal(numbers.Take(5).SelectMany(n => new[] { n, n }), repeated);
    }

    [Fact]
    public async Task Allocators_of_several_instances_racing_on_one_sequence_give_each_claimant_one_number_and_skip_none()
    {
        // Three instances (as scaled-out hosts), more claimants each than one transaction holds, on a fresh sequence.
        var sequence = $"race{Guid.NewGuid():N}";
        var instances = Enumerable.Range(0, 3).Select(_ => new ELicence.Storage.Licences.SequenceAllocator(service.Storage)).ToList();
        var claimants = Enumerable.Range(0, 300).Select(i => $"test-{i}").ToList();

        var numbers = await Task.WhenAll(claimants.Select((c, i) => instances[i % 3].AllocateAsync(sequence, c, default)));
        var askedEverywhere = await Task.WhenAll(instances.Select(a => a.AllocateAsync(sequence, claimants[7], default)));

        Assert.Equal(Enumerable.Range(0, 300).Select(n => (long)n), numbers.Order());
        Assert.All(askedEverywhere, n => Assert.Equal(numbers[7], n));
    }

    private async Task WaitUntilQueueIsDrainedAsync()
    {
        var queue = service.Storage.Queue(StorageNames.IssuanceQueue);
        var deadline = DateTime.UtcNow.AddSeconds(30);

        // The count includes messages being processed (invisible): zero means every delivery finished and was deleted.
        while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The issuance queue did not drain.");
            await Task.Delay(50);
        }
    }
}
