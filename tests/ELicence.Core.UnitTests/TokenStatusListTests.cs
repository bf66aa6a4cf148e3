namespace ELicence.Core.UnitTests;

/// <summary>The IETF Token Status List encoding (draft-ietf-oauth-status-list §4) and the tokens the service signs.</summary>
public class TokenStatusListTests
{
    [Fact]
    public void Two_bit_statuses_are_packed_from_the_least_significant_bit_as_the_draft_example_shows()
    {
        // The draft's 2-bit example: statuses 1,2,0,3,0,1,0,1,1,2,3,3 give the bytes C9 44 F9.
        var list = new TokenStatusList(12);
        byte[] statuses = [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3];
        for (var i = 0; i < statuses.Length; i++)
        {
            list[i] = (TokenStatus)statuses[i];
        }

        var decoded = TokenStatusList.Decode(list.Encode(), 3);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (TokenStatus)statuses[i]), Enumerable.Range(0, 12).Select(i => decoded[i]));
        Assert.True(B64Url.TryDecode(list.Encode(), out var compressed));
        using var zlib = new System.IO.Compression.ZLibStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        Assert.Equal(new byte[] { 0xC9, 0x44, 0xF9 }, raw.ToArray());
    }

    [Fact]
    public void A_list_that_inflates_past_its_bound_is_refused()
    {
        var big = new TokenStatusList(40_000).Encode(); // 10,000 bytes of zeros, a few dozen compressed

        Assert.Throws<FormatException>(() => TokenStatusList.Decode(big, 1_000));
    }

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
