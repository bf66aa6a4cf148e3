using System.Globalization;
using System.Text.Json.Serialization;
using ELicence.Core.Credentials;
using ELicence.Core.Keys;

using ELicence.Jose;

namespace ELicence.Core.StatusLists;

/// <summary>The <c>status_list</c> claim of a Status List Token (draft-ietf-oauth-status-list §4.2).</summary>
public sealed record TokenStatusListClaim(int Bits, string Lst);

/// <summary>The claims of a Status List Token in JWT form (draft-ietf-oauth-status-list §5.1); <see cref="Ttl"/> in seconds.</summary>
public sealed record TokenStatusListPayload(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("exp")] long ExpiresAt,
    [property: JsonPropertyName("ttl")] long Ttl,
    [property: JsonPropertyName("status_list")] TokenStatusListClaim StatusList);

/// <summary>
/// The IETF Token Status Lists of the service: list n covers the same indices as the W3C Bitstring Status Lists numbered n
/// (<see cref="StatusListCredentials"/>), so a licence version has one index in both; a wallet copy of an SD-JWT VC has an
/// index of its own. Published at <c>/api/v1/token-status-lists/{n}</c>, signed ES256 with <c>x5c</c>.
/// </summary>
public static class TokenStatusLists
{
    public const string JwsType = "statuslist+jwt";
    public const string MediaType = "application/statuslist+jwt";

    public static string ListUrl(IssuerOptions issuer, int listNumber)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return string.Create(CultureInfo.InvariantCulture, $"{issuer.Id.TrimEnd('/')}/api/v1/token-status-lists/{listNumber}");
    }

    public static int ListNumber(long index) => StatusListCredentials.ListNumber(index);

    public static int Position(long index) => StatusListCredentials.Position(index);

    /// <summary>What a stored entry reads as: revoked (or superseded) is INVALID, suspended SUSPENDED, else VALID.</summary>
    public static TokenStatus StatusOf(StatusEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Revoked ? TokenStatus.Invalid : entry.Suspended ? TokenStatus.Suspended : TokenStatus.Valid;
    }

    public static string Sign(IssuerOptions issuer, int listNumber, TokenStatusList list, TimeSpan ttl, TimeSpan lifetime, DateTimeOffset now, KeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(ring);
        var key = ring.SigningEs256 ?? throw new InvalidOperationException("The key ring has no active ES256 key.");
        var iat = now.ToUnixTimeSeconds();
        var payload = new TokenStatusListPayload(issuer.Id, ListUrl(issuer, listNumber), iat, iat + (long)lifetime.TotalSeconds, (long)ttl.TotalSeconds, new TokenStatusListClaim(TokenStatusList.Bits, list.Encode()));
        return KeyJws.Sign(key, JwsType, ElicenceJson.SerializeToUtf8(payload), ring.ChainOf(key));
    }

    /// <summary>The <c>iat</c> and <c>exp</c> of a token this service signed (read back from storage), or null when it has none.</summary>
    public static (long IssuedAt, long ExpiresAt)? ValidityOf(string jws)
    {
        if (!CompactJws.TryParse(jws, CompactJws.MaxLength * 4, allowCertificateChain: true, out var parsed, out _))
        {
            return null;
        }

        try
        {
            var payload = ElicenceJson.Deserialize<TokenStatusListPayload>(parsed.Payload);
            return payload is null ? null : (payload.IssuedAt, payload.ExpiresAt);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
