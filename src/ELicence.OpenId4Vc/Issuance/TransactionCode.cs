using System.Security.Cryptography;
using System.Text;

namespace ELicence.OpenId4Vc.Issuance;

/// <summary>
/// The transaction code of a pre-authorised offer (OpenID4VCI 1.0 §4.1.1 <c>tx_code</c>): digits shown once to the person
/// who made the offer, sent by the wallet with the token request. Only its salted hash is kept.
/// </summary>
public static class TransactionCode
{
    public const int Length = 6;

    public static string New() => string.Concat(Enumerable.Range(0, Length).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));

    /// <summary>The hash kept for a code: SHA-256 over the salt (the offer's id) and the code.</summary>
    public static string Hash(string salt, string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(salt + "\n" + code)));

    public static bool Matches(string salt, string? code, string hash) =>
        code is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(salt, code)), Encoding.ASCII.GetBytes(hash));

    /// <summary>How the offer describes the code to the wallet.</summary>
    public static TxCodeDescription Description(string text) => new("numeric", Length, text);
}

/// <summary>The offer's <c>tx_code</c> object.</summary>
public sealed record TxCodeDescription(string InputMode, int Length, string Description);
