namespace ELicence.Jose.Tests;

/// <summary>The IETF Token Status List encoding (draft-ietf-oauth-status-list §4): 2 bits per entry, ZLIB, base64url.</summary>
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
}
