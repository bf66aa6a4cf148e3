using ELicence.Jose;

namespace ELicence.Core.UnitTests;

public class SigningKeyTests
{
    [Fact]
    public void The_key_id_is_the_RFC_8037_example_thumbprint()
    {
        // RFC 8037 Appendix A.3.
        Assert.Equal("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", SigningKey.Thumbprint(B64("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")));
    }

    private static byte[] B64(string s) => B64Url.TryDecode(s, out var bytes) ? bytes : throw new FormatException(s);
}
