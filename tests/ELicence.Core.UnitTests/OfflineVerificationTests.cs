using ELicence.Core.Keys;

namespace ELicence.Core.UnitTests;

/// <summary>The offline check: the online reason codes for what keys and status lists can tell, and a plain list of what they cannot.</summary>
public class OfflineVerificationTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);
    private readonly VerificationHarness _h = new();

    [Fact]
    public void A_current_credential_with_clean_lists_is_valid_and_says_what_only_the_register_knows()
    {
        var result = Check(_h.SignWithoutIssuing(Builders.Licence()), Lists());

        Assert.True(result.Valid);
        Assert.Equal([ReasonCodes.Verified], result.Reasons.Select(r => r.Code));
        Assert.Equal(OfflineVerification.RegisterOnly, result.NotChecked);
        Assert.Equal(Builders.Licence().Code.Value, result.CreditCode);
    }

    [Theory]
    [InlineData(StatusPurpose.Revocation, ReasonCodes.Revoked)]
    [InlineData(StatusPurpose.Suspension, ReasonCodes.Suspended)]
    public void A_marked_credential_is_not_valid_with_the_online_reason_code(StatusPurpose purpose, string code)
    {
        var licence = Builders.Licence();

        var result = Check(_h.SignWithoutIssuing(licence), Lists(marked: (purpose, licence.StatusListIndex)));

        Assert.False(result.Valid);
        Assert.Equal([code], result.Reasons.Select(r => r.Code));
    }

    [Fact]
    public void Signature_failures_give_the_online_codes()
    {
        Assert.Equal(ReasonCodes.UnknownKey, Check(_h.SignWithoutIssuing(Builders.Licence(), _h.Stranger), Lists()).Reasons.Single().Code);
        var jws = _h.SignWithoutIssuing(Builders.Licence());
        var altered = jws[..^4] + (jws[^4] == 'A' ? "B" : "A") + jws[^3..];
        Assert.Equal(ReasonCodes.BadSignature, Check(altered, Lists()).Reasons.Single().Code);
        Assert.Equal(ReasonCodes.WrongIssuer, Check(_h.SignWithoutIssuing(Builders.Licence(), issuer: new() { Id = "https://elsewhere.example" }), Lists()).Reasons.Single().Code);
    }

    [Fact]
    public void A_missing_or_stale_or_foreign_list_leaves_the_answer_undecided_and_says_which()
    {
        var jws = _h.SignWithoutIssuing(Builders.Licence());

        var missing = Check(jws, []);
        var stale = Check(jws, Lists(), VerificationHarness.Now + Ttl);
        var foreign = Check(jws, Lists(key: _h.Stranger));

        Assert.Null(missing.Valid);
        Assert.Contains(missing.NotChecked, n => n.StartsWith("status: no cached revocation list", StringComparison.Ordinal));
        Assert.Null(stale.Valid);
        Assert.Contains(stale.NotChecked, n => n.Contains("older than its ttl", StringComparison.Ordinal));
        Assert.Null(foreign.Valid);
        Assert.Contains(foreign.NotChecked, n => n.Contains("not a status list this issuer signed", StringComparison.Ordinal));
        Assert.DoesNotContain(missing.Reasons, r => r.Code == ReasonCodes.Verified);
    }

    private OfflineResult Check(string jws, Dictionary<string, string> lists, DateTimeOffset? now = null) =>
        OfflineVerification.Check(jws, new OfflineMaterial(_h.Issuer.Id, _h.Ring.ToJwks(), lists), now ?? VerificationHarness.Now);

    /// <summary>Both lists that hold <see cref="Builders.Licence"/>'s entries, signed now, optionally with one bit set.</summary>
    private Dictionary<string, string> Lists((StatusPurpose Purpose, long Index)? marked = null, SigningKey? key = null)
    {
        var list = StatusListCredentials.ListNumber(Builders.Licence().StatusListIndex);
        return Enum.GetValues<StatusPurpose>().ToDictionary(
            p => StatusListCredentials.ListUrl(_h.Issuer, p, list),
            p =>
            {
                var bits = new BitstringStatusList();
                if (marked is { } m && m.Purpose == p)
                {
                    bits[StatusListCredentials.Position(m.Index)] = true;
                }

                return StatusListCredentials.Sign(_h.Issuer, p, list, bits, Ttl, VerificationHarness.Now, key ?? _h.Active);
            });
    }
}
