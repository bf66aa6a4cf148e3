using ELicence.Core.CreditCodes;
using ELicence.Documents;
using ELicence.Core.Licences;
using ELicence.Core.Problems;

namespace ELicence.Core.UnitTests.Documents;

public class PublicLicenceCheckTests
{
    private readonly VerificationHarness _harness = new();

    private PublicLicenceCheck Check => new(_harness.Licences, _harness.Credentials, _harness.Service, CreditCodeExceptionList.None, _harness.Clock);

    [Fact]
    public async Task The_link_of_the_current_copy_is_current_and_of_an_earlier_version_superseded()
    {
        var v1 = Builders.Licence();
        var v2 = v1 with { Version = 2 };
        var first = _harness.StoreCredential(v1);
        var second = _harness.Issue(v2);

        var old = await Check.GetPageAsync(v1.Code.Value, "1", PrintedCopy.ShortDigest(first), default);
        var current = await Check.GetPageAsync(v1.Code.Value, "2", PrintedCopy.ShortDigest(second), default);

        Assert.Equal((CopyVerdict.Superseded, 1), (old.Copy, old.CopyVersion));
        Assert.Equal((CopyVerdict.Current, 2), (current.Copy, current.CopyVersion));
    }

    [Theory]
    [InlineData("1", "AAAAAAAAAAAAAAAA")]
    [InlineData("0", null)]
    [InlineData("99", null)]
    [InlineData("abc", null)]
    [InlineData("+1", null)]
    [InlineData("1", "short")]
    [InlineData(null, null)]
    public async Task A_link_whose_version_or_digest_matches_no_issued_credential_is_not_issued(string? version, string? digest)
    {
        var licence = Builders.Licence();
        var credential = _harness.Issue(licence);

        var page = await Check.GetPageAsync(licence.Code.Value, version, digest ?? (version is null ? "x" : PrintedCopy.ShortDigest(credential)), default);

        Assert.Equal(CopyVerdict.NotIssued, page.Copy);
        Assert.Null(page.CopyVersion);
    }

    [Fact]
    public async Task Without_a_link_the_page_shows_the_standing_only()
    {
        var licence = Builders.Licence() with
        {
            Status = LicenceStatus.Suspended,
            StatusDetail = new StatusDetail(VerificationHarness.Now, "annual-report-not-filed", "未按期公示年度报告", new DateOnly(2026, 11, 30), null),
        };
        _harness.Issue(licence);

        var page = await Check.GetPageAsync(licence.Code.Value.ToLowerInvariant(), null, null, default);

        Assert.Equal(CopyVerdict.None, page.Copy);
        Assert.Equal(new PublicStanding(PublicState.NotInGoodStanding, new DateOnly(2026, 11, 30), "未按期公示年度报告"), page.Standing);
    }

    [Fact]
    public async Task A_licence_whose_term_starts_later_is_not_yet_in_force()
    {
        var start = new DateOnly(2027, 1, 1);
        var licence = Builders.Licence();
        licence = licence with { Details = licence.Details with { OperatingTerm = new OperatingTerm(start, null) } };
        _harness.Issue(licence);

        var page = await Check.GetPageAsync(licence.Code.Value, null, null, default);

        Assert.Equal(new PublicStanding(PublicState.NotYetInForce, start, null), page.Standing);
    }

    [Fact]
    public async Task An_unknown_code_is_not_found_and_a_malformed_one_invalid()
    {
        var unknown = await Assert.ThrowsAsync<ProblemException>(() => Check.GetPageAsync(Builders.Licence(99).Code.Value, null, null, default));
        var malformed = await Assert.ThrowsAsync<ProblemException>(() => Check.GetPageAsync("../etc", null, null, default));

        Assert.Equal(ProblemType.LicenceNotFound, unknown.Type);
        Assert.Equal(ProblemType.Validation, malformed.Type);
    }

    [Fact]
    public async Task An_anonymous_credential_check_verifies_like_a_verifier_but_leaves_no_receipt()
    {
        var licence = Builders.Licence();
        var credential = _harness.Issue(licence);
        var forged = _harness.SignWithoutIssuing(licence with { Details = licence.Details with { Name = "冒名公司" } });

        var genuine = await Check.CheckCredentialAsync(credential, default);
        var notIssued = await Check.CheckCredentialAsync(forged, default);

        Assert.True(genuine.Valid);
        Assert.Equal(PublicState.Valid, genuine.Standing?.State);
        Assert.False(notIssued.Valid);
        Assert.Equal("credential-not-issued", notIssued.Reasons[0].Code);
        Assert.Empty(_harness.Receipts.All);
    }
}
