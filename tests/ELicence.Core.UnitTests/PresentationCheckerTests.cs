using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ELicence.Core.Presentations;
using ELicence.Jose;

namespace ELicence.Core.UnitTests;

/// <summary>The presentation checks over the in-memory register: each refusal has its reason, and only a good presentation is recorded as used.</summary>
public class PresentationCheckerTests
{
    private readonly VerificationHarness _h = new();
    private readonly byte[] _holderSeed = Ed25519.NewSeed();

    [Fact]
    public async Task An_Ed25519_wallet_presentation_verifies_and_shows_only_its_disclosures()
    {
        var result = await VerifyAsync(Present(["operatingTerm"]), "n-1");

        Assert.True(result.Valid, string.Join(", ", result.Reasons.Select(r => r.Code)));
        Assert.Null(result.Licence);
        Assert.Equal(["operatingTerm"], result.Presented!.Licence.Disclosed);
        Assert.Equal(["operatingTerm"], result.Presented.Claims.Keys);
        Assert.Empty(result.Permits);
        Assert.Equal(1, _h.PresentationUses.Count);
    }

    [Fact]
    public async Task A_second_verification_of_the_same_presentation_is_replayed()
    {
        var presentation = Present(["domicile"]);
        await VerifyAsync(presentation, "n-1");

        var again = await VerifyAsync(presentation, "n-1");

        Assert.False(again.Valid);
        Assert.Equal(ReasonCodes.Replayed, again.Reasons[0].Code);
        Assert.Equal(1, _h.PresentationUses.Count);
    }

    [Fact]
    public async Task Without_a_key_binding_JWT_another_nonce_or_for_another_verifier_the_presentation_is_refused_and_not_recorded()
    {
        var good = Present(["domicile"]);
        var other = Caller.Verifier("vrf_other", "Other bank", VerifierKind.Bank);

        var missing = await VerifyAsync(good[..(good.LastIndexOf('~') + 1)], "n-1");
        var nonce = await VerifyAsync(good, "n-2");
        var audience = await _h.Service.VerifyAsync(other, new VerificationRequest(null, null, null, good, "n-1"), default);

        Assert.Equal(ReasonCodes.KeyBindingMissing, missing.Reasons[0].Code);
        Assert.Equal(ReasonCodes.NonceMismatch, nonce.Reasons[0].Code);
        Assert.Equal(ReasonCodes.WrongAudience, audience.Reasons[0].Code);
        Assert.Equal(0, _h.PresentationUses.Count);
    }

    [Fact]
    public async Task A_key_binding_JWT_dated_in_the_future_beyond_the_skew_is_expired_and_not_recorded()
    {
        var result = await VerifyAsync(Present(["domicile"], at: VerificationHarness.Now + PresentationChecker.ClockSkew + TimeSpan.FromSeconds(1)), "n-1");

        Assert.Equal(ReasonCodes.PresentationExpired, result.Reasons[0].Code);
        Assert.Equal(0, _h.PresentationUses.Count);
    }

    [Fact]
    public async Task A_presentation_exactly_five_minutes_old_still_verifies()
    {
        var result = await VerifyAsync(Present(["domicile"], at: VerificationHarness.Now - PresentationChecker.MaxAge), "n-1");

        Assert.True(result.Valid);
    }

    [Fact]
    public async Task A_repeated_disclosure_is_refused()
    {
        var good = Present(["domicile"]);
        var parts = good.Split('~');
        var doubled = Resign(string.Join('~', parts[0], parts[1], parts[1]) + "~");

        var result = await VerifyAsync(doubled, "n-1");

        Assert.Equal(ReasonCodes.DisclosureNotInCredential, result.Reasons[0].Code);
    }

    [Fact]
    public async Task A_key_binding_JWT_over_other_disclosures_is_refused_by_its_sd_hash()
    {
        var withDomicile = Present(["domicile", "businessScope"]).Split('~');
        var dropped = string.Join('~', withDomicile[0], withDomicile[1], withDomicile[^1]);

        var result = await VerifyAsync(dropped, "n-1");

        Assert.Equal(ReasonCodes.BadKeyBinding, result.Reasons[0].Code);
        Assert.Equal(0, _h.PresentationUses.Count);
    }

    [Fact]
    public async Task A_presentation_of_a_superseded_version_is_reported_superseded()
    {
        var v1 = Builders.Licence();
        var presentation = Present(["domicile"], v1);
        _h.Register.Seed(v1 with { Version = 2 }, []);

        var result = await VerifyAsync(presentation, "n-1");

        Assert.False(result.Valid);
        Assert.Contains(result.Reasons, r => r.Code == ReasonCodes.Superseded);
    }

    [Theory]
    [InlineData("""{"kty":"OKP","crv":"Ed25519","x":"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", "jwk.x")] // a point of small order
    [InlineData("""{"kty":"OKP","crv":"X25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}""", "jwk.crv")]
    [InlineData("""{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","use":"enc"}""", "jwk.use")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"}""", "jwk.y")]
    public void A_key_that_is_not_a_usable_public_signing_key_is_refused_naming_the_member(string json, string field)
    {
        using var doc = JsonDocument.Parse(json);

        Assert.False(HolderJwk.TryRead(doc.RootElement, "jwk", out _, out var error));
        Assert.Equal(field, error!.Field);
    }

    [Fact]
    public void The_RFC_8037_example_key_is_accepted()
    {
        using var doc = JsonDocument.Parse("""{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}""");

        Assert.True(HolderJwk.TryRead(doc.RootElement, "jwk", out var key, out _));
        Assert.Equal(SigningKey.EdDsa, key.Algorithm);
    }

    private Task<VerificationResult> VerifyAsync(string presentation, string nonce) =>
        _h.Service.VerifyAsync(VerificationHarness.Verifier, new VerificationRequest(null, null, null, presentation, nonce), default);

    private string Present(IReadOnlyCollection<string> names, Licence? licence = null, DateTimeOffset? at = null)
    {
        licence ??= Builders.Licence();
        if (_h.Register.FindCurrentAsync(licence.Code, default).GetAwaiter().GetResult() is null)
        {
            _h.Register.Seed(licence, []);
        }

        var vc = LicenceSdJwtVc.Issue(new LicenceWithPermits(licence, []), HolderJwk.Ed25519(Ed25519.PublicKeyFromSeed(_holderSeed)), _h.Issuer, _h.Ring, licence.StatusListIndex, VerificationHarness.Now);
        return Resign(SdJwt.Combine(vc.IssuerJwt, vc.Disclosures.Where(d => names.Contains(d.Name))), at);
    }

    /// <summary>Signs a key-binding JWT with the holder's key over the SD-JWT given (which ends with '~').</summary>
    private string Resign(string sdJwt, DateTimeOffset? at = null)
    {
        SdJwt.TrySplit(sdJwt, out var parts, out _);
        var payload = new JsonObject { ["iat"] = (at ?? VerificationHarness.Now).ToUnixTimeSeconds(), ["aud"] = VerificationHarness.Verifier.Id, ["nonce"] = "n-1", ["sd_hash"] = SdJwt.SdHash(parts!) };
        return sdJwt + CompactJws.Sign(_holderSeed, null, SdJwt.KeyBindingType, Encoding.UTF8.GetBytes(payload.ToJsonString()));
    }
}
