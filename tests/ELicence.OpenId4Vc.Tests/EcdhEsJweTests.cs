using System.Security.Cryptography;
using System.Text;
using ELicence.OpenId4Vc.Presentation;

namespace ELicence.OpenId4Vc.Tests;

/// <summary>
/// direct_post.jwt decryption (ECDH-ES on P-256 with A128GCM / A256GCM) against JWEs made by the independent npm `jose` 6.2.17
/// (CompactEncrypt, with apu and apv) for the recipient key below.
/// </summary>
public class EcdhEsJweTests
{
    private const string Plaintext = """{"vp_token":{"licence":["x~y~z"]},"state":"s-1"}""";
    private const string A128 = "eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTEyOEdDTSIsImtpZCI6InJlcS1rZXkiLCJhcHUiOiJZWEIxIiwiYXB2IjoiWVhCMiIsImVwayI6eyJ4IjoiUVhMMF9fUXdfc0hsd0FJUHJhWmp1bnJHU0RkZXBJemFKRHN3N0lqYVRPbyIsImNydiI6IlAtMjU2Iiwia3R5IjoiRUMiLCJ5IjoiV25PdG5rWmRDVHMyR2xmTC12ZVRvbEFXblQ3dF90bzEwQnh6RTZhY0FmZyJ9fQ.._QYLJG5mQVcH_zop.2ZchwuGZSlGbjiIBoBby_ngwScgx0pPuWS3HRWcDSKg6HldbqBVre-DhT1AQejQb.wySPQIymMyWlJW6cive30w";
    private const string A256 = "eyJhbGciOiJFQ0RILUVTIiwiZW5jIjoiQTI1NkdDTSIsImtpZCI6InJlcS1rZXkiLCJhcHUiOiJZWEIxIiwiYXB2IjoiWVhCMiIsImVwayI6eyJ4IjoiU3R0eEdzWlE3eDJHR1RTOEJBNnBXalFaTndWOUM4SDVldFlaUnNkN2ZybyIsImNydiI6IlAtMjU2Iiwia3R5IjoiRUMiLCJ5IjoibndaMWhGUnpIcUJtNWNQcFR4LVNpTjBWWk5lb0tJUmFxMzZSNnFSTDB4SSJ9fQ..GlFWa4mmNqBVYJJS.VfoYdKjYgK2TF0ydopMOO1Cd47TR5sLmD4KZx3U5X8nRXZWVa_VlPDpvZUVat-DH.Bovq7Y-7aQWRZ9siTgk_fw";

    [Theory]
    [InlineData(A128)]
    [InlineData(A256)]
    public void A_JWE_made_by_jose_decrypts_to_its_plaintext(string jwe)
    {
        using var key = Recipient();

        Assert.True(EcdhEsJwe.TryDecrypt(jwe, key, out var plaintext, out var error), error);
        Assert.Equal(Plaintext, Encoding.UTF8.GetString(plaintext));
    }

    [Fact]
    public void A_JWE_for_another_key_or_altered_is_refused()
    {
        using var other = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var key = Recipient();
        var parts = A128.Split('.');
        parts[3] = (parts[3][0] == 'A' ? "B" : "A") + parts[3][1..];

        Assert.False(EcdhEsJwe.TryDecrypt(A128, other, out _, out _));
        Assert.False(EcdhEsJwe.TryDecrypt(string.Join('.', parts), key, out _, out _));
        Assert.False(EcdhEsJwe.TryDecrypt("a.b.c", key, out _, out _));
    }

    private static ECDiffieHellman Recipient() => ECDiffieHellman.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = Convert.FromBase64String(Pad("LyeCj6jhGcDgSBqkIdgrTokDbbB9anwueIBrZvGMpkY")), Y = Convert.FromBase64String(Pad("KQJGHMrJxVkl23DSjJMQMZoa6O4N_HE01bUdVQnE0yg")) },
        D = Convert.FromBase64String(Pad("sc3T5kUV5NBhC1zhczl-EW3c-xSX7a1cZSdFrhDVAnQ")),
    });

    private static string Pad(string b64Url) => b64Url.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (b64Url.Length % 4)) % 4);
}
