using ELicence.Jose;

namespace ELicence.Core.UnitTests;

/// <summary>The IETF Token Status List tokens the service signs (the encoding's own tests are in ELicence.Jose.Tests).</summary>
public class TokenStatusListTokenTests
{
    [Fact]
    public void A_status_list_token_is_ES256_with_x5c_and_names_its_own_uri_as_sub_with_iat_exp_and_ttl()
    {
        var ring = KeyRing.CreateNew(DateTimeOffset.UnixEpoch);
        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var jws = TokenStatusLists.Sign(new IssuerOptions(), 3, new TokenStatusList(8), TimeSpan.FromMinutes(5), TimeSpan.FromDays(1), now, ring);

        Assert.True(CompactJws.TryParse(jws, CompactJws.MaxLength, allowCertificateChain: true, out var parsed, out _));
        Assert.Equal(("ES256", TokenStatusLists.JwsType, ring.SigningEs256!.KeyId), (parsed.Algorithm, parsed.Type, parsed.KeyId));
        Assert.True(ring.SigningEs256.Verify(parsed.SigningInput, parsed.Signature));
        var payload = ELicence.Core.Serialization.ElicenceJson.Deserialize<TokenStatusListPayload>(parsed.Payload)!;
        Assert.Equal("http://localhost:7071/api/v1/token-status-lists/3", payload.Subject);
        Assert.Equal((now.ToUnixTimeSeconds(), now.AddDays(1).ToUnixTimeSeconds(), 300L, 2), (payload.IssuedAt, payload.ExpiresAt, payload.Ttl, payload.StatusList.Bits));
        Assert.False(CompactJws.TryParse(jws, out _, out _)); // where a key comes only from the JWKS, the x5c header is still refused
    }

    [Theory]
    [InlineData(false, false, TokenStatus.Valid)]
    [InlineData(true, false, TokenStatus.Invalid)]
    [InlineData(false, true, TokenStatus.Suspended)]
    [InlineData(true, true, TokenStatus.Invalid)]
    public void An_entry_reads_as_the_status_both_kinds_of_list_agree_on(bool revoked, bool suspended, TokenStatus expected) =>
        Assert.Equal(expected, TokenStatusLists.StatusOf(new StatusEntry(0, "code", 1, revoked, suspended)));
}
