namespace ELicence.Core.UnitTests;

/// <summary>
/// The licence row keeps the SHA-256 of its current credential, so a verification compares with it instead of reading the
/// stored credential; the stored one still decides whenever the digest does not match (or a row has none).
/// </summary>
public class CredentialDigestTests
{
    private readonly VerificationHarness _h = new();

    [Fact]
    public async Task The_current_credential_is_matched_by_the_digest_on_its_row_without_reading_the_stored_one()
    {
        var jws = IssueWithDigest(Builders.Licence());

        var result = await _h.VerifyCredentialAsync(jws);

        Assert.True(result.Valid);
        Assert.Equal(0, _h.Credentials.Reads);
    }

    [Fact]
    public async Task A_row_without_a_digest_is_checked_against_the_stored_credential()
    {
        var jws = _h.Issue(Builders.Licence());

        var result = await _h.VerifyCredentialAsync(jws);

        Assert.True(result.Valid);
        Assert.Equal(1, _h.Credentials.Reads);
    }

    [Fact]
    public async Task A_digest_that_does_not_match_defers_to_the_stored_credential_which_accepts_the_issued_one()
    {
        // E.g. a credential signed again when fetched after a crash lost it: the blob, not the row, is what was issued.
        var licence = Builders.Licence();
        _h.Register.Seed(licence with { CredentialSha256 = LicenceChecker.Digest("something else") }, []);
        var jws = _h.StoreCredential(licence);

        var result = await _h.VerifyCredentialAsync(jws);

        Assert.True(result.Valid);
        Assert.Equal(1, _h.Credentials.Reads);
    }

    [Fact]
    public async Task A_genuine_credential_the_register_did_not_issue_is_refused_though_the_row_keeps_a_digest()
    {
        var licence = Builders.Licence();
        IssueWithDigest(licence);
        var other = _h.SignWithoutIssuing(licence with { CredentialId = "urn:uuid:00000000-0000-7000-8000-000000000000" });

        var result = await _h.VerifyCredentialAsync(other);

        Assert.False(result.Valid);
        Assert.Contains(result.Reasons, r => r.Code == ReasonCodes.CredentialNotIssued);
    }

    [Fact]
    public async Task An_older_version_is_checked_against_its_stored_credential_and_reported_superseded()
    {
        var v1 = Builders.Licence();
        var old = _h.StoreCredential(v1);
        IssueWithDigest(v1 with { Version = 2, CredentialId = "urn:uuid:00000000-0000-7000-8000-000000000002" });

        var result = await _h.VerifyCredentialAsync(old);

        Assert.False(result.Valid);
        Assert.Contains(result.Reasons, r => r.Code == ReasonCodes.Superseded);
        Assert.Equal(1, _h.Credentials.Reads);
    }

    private string IssueWithDigest(Licence licence)
    {
        var jws = _h.SignWithoutIssuing(licence);
        _h.Register.Seed(licence with { CredentialSha256 = LicenceChecker.Digest(jws) }, []);
        _h.Credentials.PutIfAbsentAsync(licence.Code, licence.Version, jws, default).GetAwaiter().GetResult();
        return jws;
    }
}
