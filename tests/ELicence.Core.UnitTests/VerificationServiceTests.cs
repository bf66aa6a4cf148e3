using ELicence.Testing;
using ELicence.Jose;

namespace ELicence.Core.UnitTests;

/// <summary>Every reason code a verification can give, each from the state that causes it, each with its receipt.</summary>
public class VerificationServiceTests
{
    private static readonly DateOnly Today = ChinaTime.DateOf(VerificationHarness.Now);
    private readonly VerificationHarness _h = new();

    [Fact]
    public async Task A_current_credential_of_an_active_licence_is_verified_with_its_permits_and_a_signed_receipt()
    {
        var permit = new OperatingPermit("pmt_01", "食品经营许可证", "JY16530010000001", "阿图什市市场监督管理局", ReformMode.NotificationCommitment, Today.AddDays(-10), Today.AddDays(100), PermitStatus.Valid, VerificationHarness.Now);
        var jws = _h.Issue(Builders.Licence(), permits: permit);

        var result = await _h.VerifyCredentialAsync(jws);

        AssertOutcome(result, valid: true, ReasonCodes.Verified);
        Assert.Equal(Builders.Licence().Code.Value, result.Licence!.CreditCode);
        var shown = Assert.Single(result.Permits);
        Assert.True(shown.InForce);
        var receipt = AssertReceiptStored(result);
        Assert.Equal("credential", receipt.Receipt.Checked.Kind);
        Assert.Equal(_h.Active.KeyId, receipt.Receipt.Checked.KeyId);
        Assert.True(CompactJws.TryParse(receipt.Jws, out var parsed, out _) && Ed25519.Verify(_h.Active.PublicKey, parsed.SigningInput, parsed.Signature));
    }

    [Fact]
    public async Task A_credential_signed_by_a_retired_key_still_verifies()
    {
        var jws = _h.Issue(Builders.Licence(), _h.Retired);

        AssertOutcome(await _h.VerifyCredentialAsync(jws), valid: true, ReasonCodes.Verified);
    }

    [Fact]
    public async Task A_credit_code_of_an_active_licence_is_verified()
    {
        _h.Issue(Builders.Licence());

        var result = await _h.VerifyCodeAsync(Builders.Licence().Code.Value.ToLowerInvariant());

        AssertOutcome(result, valid: true, ReasonCodes.Verified);
        Assert.Equal("credit-code", AssertReceiptStored(result).Receipt.Checked.Kind);
    }

    [Fact]
    public async Task A_token_with_another_algorithm_is_reported_unsupported_algorithm()
    {
        var jws = Forge.Token("""{"alg":"HS256","kid":"k","typ":"vc+jwt"}""", "{}"u8.ToArray(), new byte[32]);

        AssertOutcome(await _h.VerifyCredentialAsync(jws), valid: false, ReasonCodes.UnsupportedAlgorithm);
        Assert.Single(_h.Receipts.All);
    }

    [Fact]
    public async Task A_credential_signed_by_a_key_the_service_never_had_is_reported_unknown_key()
    {
        var jws = _h.SignWithoutIssuing(Builders.Licence(), _h.Stranger);
        _h.Issue(Builders.Licence());

        var result = await _h.VerifyCredentialAsync(jws);

        AssertOutcome(result, valid: false, ReasonCodes.UnknownKey);
        AssertReceiptStored(result);
    }

    [Fact]
    public async Task A_credential_signed_by_a_compromised_key_is_reported_key_compromised()
    {
        var jws = _h.Issue(Builders.Licence(), _h.Compromised);

        var result = await _h.VerifyCredentialAsync(jws);

        AssertOutcome(result, valid: false, ReasonCodes.KeyCompromised);
        AssertReceiptStored(result);
    }

    [Fact]
    public async Task An_altered_credential_is_reported_bad_signature()
    {
        var jws = _h.Issue(Builders.Licence());
        var parts = jws.Split('.');
        var payload = Encoding.UTF8.GetString(B64(parts[1])).Replace("阿图什市天山果业有限公司", "阿图什市假冒有限公司", StringComparison.Ordinal);
        var altered = $"{parts[0]}.{B64Url.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        var result = await _h.VerifyCredentialAsync(altered);

        AssertOutcome(result, valid: false, ReasonCodes.BadSignature);
        AssertReceiptStored(result);
    }

    [Fact]
    public async Task A_receipt_sent_as_a_credential_is_reported_not_a_licence_credential()
    {
        var verification = await _h.VerifyCredentialAsync(_h.Issue(Builders.Licence()));

        var result = await _h.VerifyCredentialAsync(verification.Receipt);

        AssertOutcome(result, valid: false, ReasonCodes.NotALicenceCredential);
        AssertReceiptStored(result);
    }

    [Fact]
    public async Task A_credential_naming_another_issuer_is_reported_wrong_issuer()
    {
        var jws = _h.SignWithoutIssuing(Builders.Licence(), issuer: new IssuerOptions { Id = "https://elicence.example.org" });
        _h.Issue(Builders.Licence());

        var result = await _h.VerifyCredentialAsync(jws);

        AssertOutcome(result, valid: false, ReasonCodes.WrongIssuer);
        AssertReceiptStored(result);
    }

    [Fact]
    public async Task A_genuine_credential_whose_licence_is_not_in_the_register_is_reported_licence_not_found()
    {
        var jws = _h.SignWithoutIssuing(Builders.Licence());

        var result = await _h.VerifyCredentialAsync(jws);

        AssertOutcome(result, valid: false, ReasonCodes.LicenceNotFound);
        Assert.Null(result.Licence);
        AssertReceiptStored(result);
    }

    [Fact]
    public async Task A_genuine_credential_the_register_never_issued_is_reported_credential_not_issued()
    {
        _h.Issue(Builders.Licence());
        var other = Builders.Licence() with { CredentialId = "urn:uuid:01a22433-ff9f-79e8-b893-000000000000" };

        var result = await _h.VerifyCredentialAsync(_h.SignWithoutIssuing(other));

        AssertOutcome(result, valid: false, ReasonCodes.CredentialNotIssued);
        AssertReceiptStored(result);
    }

    [Fact]
    public async Task A_credential_of_an_earlier_version_is_reported_superseded()
    {
        var v1 = Builders.Licence();
        var v2 = v1 with { Version = 2, Details = v1.Details with { Domicile = "阿图什市光明路 1 号" }, CredentialId = "urn:uuid:01a22433-ff9f-79e8-b893-c9b8b9eede3f" };
        _h.Issue(v2);
        var old = _h.StoreCredential(v1);

        var result = await _h.VerifyCredentialAsync(old);

        AssertOutcome(result, valid: false, ReasonCodes.Superseded);
        Assert.Contains("version 2", result.Reasons.Single(r => r.Code == ReasonCodes.Superseded).Message, StringComparison.Ordinal);
        AssertReceiptStored(result);
    }

    [Fact]
    public async Task Suspended_licence_is_reported_suspended_with_its_listing_reason()
    {
        var reason = await VerifyLicenceInStatusAsync(LicenceStatus.Suspended, new StatusDetail(VerificationHarness.Now, "annual-report-not-filed", "未按期公示年度报告", Today, null), ReasonCodes.Suspended);

        Assert.Contains("annual-report-not-filed", reason.Message, StringComparison.Ordinal);
        Assert.Contains("未按期公示年度报告", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_licence_is_reported_revoked_with_reason()
    {
        var reason = await VerifyLicenceInStatusAsync(LicenceStatus.Revoked, new StatusDetail(VerificationHarness.Now, "revoked", "提交虚假材料取得登记", new DateOnly(2026, 11, 30), null), ReasonCodes.Revoked);

        Assert.Contains("2026-11-30", reason.Message, StringComparison.Ordinal);
        Assert.Contains("提交虚假材料取得登记", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deregistered_licence_is_reported_deregistered_with_its_date()
    {
        var reason = await VerifyLicenceInStatusAsync(LicenceStatus.Deregistered, new StatusDetail(VerificationHarness.Now, "simplified-deregistration", "Deregistered after a public notice without objection.", new DateOnly(2026, 11, 29), null), ReasonCodes.Deregistered);

        Assert.Contains("2026-11-29", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_licence_whose_operating_term_ended_is_reported_expired_before_the_timer_marks_it()
    {
        var licence = Builders.Licence();
        var jws = _h.Issue(licence with { Details = licence.Details with { OperatingTerm = new OperatingTerm(licence.Details.OperatingTerm.From, Today.AddDays(-1)) } });

        var result = await _h.VerifyCredentialAsync(jws);

        var reason = AssertOutcome(result, valid: false, ReasonCodes.Expired);
        Assert.Contains(Today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), reason.Message, StringComparison.Ordinal);
        Assert.Equal(LicenceStatus.Expired, result.Licence!.Status);
        AssertReceiptStored(result);
    }

    [Fact]
    public async Task A_licence_whose_operating_term_starts_in_the_future_is_not_yet_in_force()
    {
        var start = Today.AddYears(3);
        var licence = Builders.Licence();
        var jws = _h.Issue(licence with { Details = licence.Details with { EstablishedOn = start, OperatingTerm = new OperatingTerm(start, null) } });

        var result = await _h.VerifyCredentialAsync(jws);

        var reason = AssertOutcome(result, valid: false, ReasonCodes.NotYetInForce);
        Assert.Contains(start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), reason.Message, StringComparison.Ordinal);
        AssertReceiptStored(result);
    }

    [Fact]
    public async Task A_licence_not_yet_in_force_stays_so_while_under_deregistration_notice()
    {
        var start = Today.AddYears(3);
        var licence = Builders.Licence();
        var notice = new DeregistrationNotice(VerificationHarness.Now.AddDays(-3), VerificationHarness.Now.AddDays(17), Today.AddDays(18));
        var jws = _h.Issue(licence with
        {
            Details = licence.Details with { EstablishedOn = start, OperatingTerm = new OperatingTerm(start, null) },
            Status = LicenceStatus.InDeregistrationNotice,
            StatusDetail = new StatusDetail(VerificationHarness.Now.AddDays(-3), "simplified-deregistration", "股东决定解散", null, notice),
        });

        var result = await _h.VerifyCredentialAsync(jws);

        AssertOutcome(result, valid: false, ReasonCodes.NotYetInForce);
    }

    [Fact]
    public async Task An_objection_under_review_is_reported_while_the_notice_runs()
    {
        var notice = new DeregistrationNotice(VerificationHarness.Now.AddDays(-3), VerificationHarness.Now.AddDays(17), Today.AddDays(18), Objections: 1, ObjectionsUnderReview: 1);
        var jws = _h.Issue(Builders.Licence() with { Status = LicenceStatus.InDeregistrationNotice, StatusDetail = new StatusDetail(VerificationHarness.Now.AddDays(-3), "simplified-deregistration", "股东决定解散", null, notice) });

        var result = await _h.VerifyCredentialAsync(jws);

        Assert.True(result.Valid);
        Assert.Contains("objection", AssertOutcome(result, valid: true, ReasonCodes.DeregistrationNotice).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_licence_under_deregistration_notice_is_valid_with_the_notice_reported()
    {
        var notice = new DeregistrationNotice(VerificationHarness.Now.AddDays(-3), VerificationHarness.Now.AddDays(17), Today.AddDays(18));
        var jws = _h.Issue(Builders.Licence() with { Status = LicenceStatus.InDeregistrationNotice, StatusDetail = new StatusDetail(VerificationHarness.Now.AddDays(-3), "simplified-deregistration", "股东决定解散", null, notice) });

        var result = await _h.VerifyCredentialAsync(jws);

        Assert.True(result.Valid);
        Assert.Equal([ReasonCodes.Verified, ReasonCodes.DeregistrationNotice], result.Reasons.Select(r => r.Code));
        AssertReceiptStored(result);
    }

    [Fact]
    public async Task A_structurally_broken_token_is_a_validation_problem_and_leaves_no_receipt()
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => _h.VerifyCredentialAsync("not.a.token!"));

        Assert.Equal(ProblemType.Validation, problem.Type);
        Assert.Equal("credential", Assert.Single(problem.Errors).Field);
        Assert.Empty(_h.Receipts.All);
    }

    [Fact]
    public async Task An_unknown_credit_code_is_not_found_and_leaves_no_receipt()
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => _h.VerifyCodeAsync(Builders.Licence(99).Code.Value));

        Assert.Equal(ProblemType.LicenceNotFound, problem.Type);
        Assert.Empty(_h.Receipts.All);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("a.b.c", "91653001MA0000015P")]
    public async Task A_request_with_neither_or_both_targets_is_a_validation_problem(string? credential, string? code)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => _h.Service.VerifyAsync(VerificationHarness.Verifier, new VerificationRequest(credential, code, null), default));

        Assert.Equal(ProblemType.Validation, problem.Type);
        Assert.Empty(_h.Receipts.All);
    }

    [Theory]
    [InlineData("Account-Opening")]
    [InlineData("tender:")]
    [InlineData("a b")]
    public async Task A_malformed_purpose_is_a_validation_problem(string purpose)
    {
        _h.Issue(Builders.Licence());

        var problem = await Assert.ThrowsAsync<ProblemException>(() => _h.VerifyCodeAsync(Builders.Licence().Code.Value, purpose));

        Assert.Equal("purpose", Assert.Single(problem.Errors).Field);
    }

    [Fact]
    public async Task A_verification_reads_the_clock_once_and_the_register_once()
    {
        var jws = _h.Issue(Builders.Licence());
        var readsBefore = _h.Clock.Reads;

        var result = await _h.VerifyCredentialAsync(jws);

        Assert.Equal(1, _h.Clock.Reads - readsBefore);
        Assert.Equal(1, _h.Licences.Reads);
        Assert.Equal(1, _h.Licences.Calls[nameof(ILicenceStore.FindCurrentWithPermitsAsync)]);
        Assert.Equal(VerificationHarness.Now, AssertReceiptStored(result).Receipt.VerifiedAt);
    }

    [Fact]
    public async Task A_verification_by_code_reads_the_clock_once_and_the_register_once()
    {
        _h.Issue(Builders.Licence());

        await _h.VerifyCodeAsync(Builders.Licence().Code.Value);

        Assert.Equal(1, _h.Clock.Reads);
        Assert.Equal(1, _h.Licences.Reads);
    }

    [Fact]
    public void Every_reason_code_has_a_test_here()
    {
        var codes = typeof(ReasonCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order().ToList();

        // The presentation reasons are tested in PresentationCheckerTests.
        Assert.Equal(
            [ReasonCodes.BadKeyBinding, ReasonCodes.BadSignature, ReasonCodes.CredentialNotIssued, ReasonCodes.Deregistered, ReasonCodes.DeregistrationNotice, ReasonCodes.DisclosureNotInCredential, ReasonCodes.Expired, ReasonCodes.KeyBindingMissing, ReasonCodes.KeyCompromised,
             ReasonCodes.LicenceNotFound, ReasonCodes.NonceMismatch, ReasonCodes.NotALicenceCredential, ReasonCodes.NotYetInForce, ReasonCodes.PresentationExpired, ReasonCodes.Replayed, ReasonCodes.Revoked,
             ReasonCodes.Superseded, ReasonCodes.Suspended, ReasonCodes.UnknownKey, ReasonCodes.UnsupportedAlgorithm, ReasonCodes.Verified, ReasonCodes.WrongAudience, ReasonCodes.WrongIssuer],
            codes);
    }

    /// <summary>Verifies the current credential of a licence in this status: not valid, with this reason and a receipt.</summary>
    private async Task<VerificationReason> VerifyLicenceInStatusAsync(LicenceStatus status, StatusDetail detail, string code)
    {
        var result = await _h.VerifyCredentialAsync(_h.Issue(Builders.Licence() with { Status = status, StatusDetail = detail }));

        var reason = AssertOutcome(result, valid: false, code);
        AssertReceiptStored(result);
        return reason;
    }

    /// <summary>The result has the validity and the (first blocking, else first) reason code; returns that reason.</summary>
    private static VerificationReason AssertOutcome(VerificationResult result, bool valid, string code)
    {
        Assert.Equal(valid, result.Valid);
        var reason = result.Reasons.FirstOrDefault(r => r.Code == code);
        Assert.True(reason is not null, $"Expected {code}; got {string.Join(", ", result.Reasons.Select(r => r.Code))}");
        if (!valid)
        {
            Assert.DoesNotContain(result.Reasons, r => r.Code == ReasonCodes.Verified);
        }

        return reason;
    }

    private StoredReceipt AssertReceiptStored(VerificationResult result)
    {
        var stored = Assert.Single(_h.Receipts.All, r => r.Id == result.ReceiptId);
        Assert.Equal(result.Receipt, stored.Jws);
        Assert.Equal(result.Valid, stored.Receipt.Valid);
        Assert.Equal(result.Reasons.Select(r => r.Code), stored.Receipt.Reasons.Select(r => r.Code));
        Assert.Equal(VerificationHarness.Verifier.Id, stored.VerifierId);
        return stored;
    }

    private static byte[] B64(string s) => B64Url.TryDecode(s, out var bytes) ? bytes : throw new FormatException(s);
}
