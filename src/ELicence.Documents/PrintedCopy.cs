using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;
using ELicence.Jose;

namespace ELicence.Documents;

/// <summary>
/// What a printed licence carries to identify itself: the version and a short digest of its credential. The page link
/// (<c>{base}/verify/{code}?v={version}&amp;d={digest}</c>) is what the QR code encodes.
/// </summary>
public static class PrintedCopy
{
    /// <summary>Characters of the base64url SHA-256 kept in the link: 96 bits, enough that no forger finds a match.</summary>
    public const int DigestLength = 16;

    /// <summary>The credential's SHA-256 in lower-case hex, as printed on the PDF.</summary>
    public static string Sha256Hex(string credential) => Convert.ToHexStringLower(Hash(credential));

    /// <summary>The first <see cref="DigestLength"/> characters of the base64url SHA-256 of the credential.</summary>
    public static string ShortDigest(string credential) => B64Url.Encode(Hash(credential))[..DigestLength];

    /// <summary>The public page of the licence, for this version and credential.</summary>
    public static string Link(PublicPageOptions options, CreditCode code, int version, string credential)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"{PageUrl(options, code)}?v={version.ToString(CultureInfo.InvariantCulture)}&d={ShortDigest(credential)}";
    }

    /// <summary>The public page of the licence, without a copy to check.</summary>
    public static string PageUrl(PublicPageOptions options, CreditCode code)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.PageUrl(code);
    }

    /// <summary>Whether <paramref name="digest"/> (from a link) names <paramref name="credential"/>; constant time.</summary>
    public static bool Matches(string credential, string digest) =>
        digest.Length == DigestLength && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ShortDigest(credential)), Encoding.ASCII.GetBytes(digest));

    private static byte[] Hash(string credential) => SHA256.HashData(Encoding.ASCII.GetBytes(credential));
}
