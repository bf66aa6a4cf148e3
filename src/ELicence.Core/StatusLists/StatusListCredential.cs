using System.Globalization;
using System.Text.Json.Serialization;
using ELicence.Core.Credentials;
using ELicence.Core.Keys;

namespace ELicence.Core.StatusLists;

public enum StatusPurpose
{
    Revocation,
    Suspension,
}

/// <summary>Where a credential's status lives: one entry per purpose, both at the same index of their lists.</summary>
public sealed record StatusListEntry(
    string Id,
    string Type,
    StatusPurpose StatusPurpose,
    string StatusListIndex,
    string StatusListCredential);

/// <summary>A BitstringStatusListCredential (VC 2.0), signed like every credential of the service.</summary>
public sealed record StatusListCredentialPayload(
    [property: JsonPropertyName("@context")] IReadOnlyList<string> Context,
    string Id,
    IReadOnlyList<string> Type,
    CredentialIssuer Issuer,
    DateTimeOffset ValidFrom,
    StatusListSubject CredentialSubject);

/// <summary><see cref="Ttl"/> is in milliseconds, as the spec defines it.</summary>
public sealed record StatusListSubject(string Id, string Type, StatusPurpose StatusPurpose, string EncodedList, long Ttl);

/// <summary>Where a credential's status entries point, and the signed status list credentials themselves.</summary>
public static class StatusListCredentials
{
    public static string ListUrl(IssuerOptions issuer, StatusPurpose purpose, int listNumber)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return string.Create(CultureInfo.InvariantCulture, $"{issuer.Id.TrimEnd('/')}/api/v1/status-lists/{StatusPurposeName(purpose)}/{listNumber}");
    }

    public static int ListNumber(long index) => (int)(index / BitstringStatusList.Length);

    public static int Position(long index) => (int)(index % BitstringStatusList.Length);

    /// <summary>The credentialStatus entries of a credential whose status index is <paramref name="index"/>.</summary>
    public static IReadOnlyList<StatusListEntry> EntriesFor(IssuerOptions issuer, long index) =>
        [.. Enum.GetValues<StatusPurpose>().Select(purpose =>
        {
            var url = ListUrl(issuer, purpose, ListNumber(index));
            var position = Position(index).ToString(CultureInfo.InvariantCulture);
            return new StatusListEntry($"{url}#{position}", "BitstringStatusListEntry", purpose, position, url);
        })];

    public static string Sign(IssuerOptions issuer, StatusPurpose purpose, int listNumber, BitstringStatusList bits, TimeSpan ttl, DateTimeOffset now, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(bits);
        var url = ListUrl(issuer, purpose, listNumber);
        var payload = new StatusListCredentialPayload(
            [LicenceCredential.VcContext],
            url,
            ["VerifiableCredential", "BitstringStatusListCredential"],
            new CredentialIssuer(issuer.Id, issuer.Name, issuer.NameEn),
            new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
            new StatusListSubject(url + "#list", "BitstringStatusList", purpose, bits.Encode(), (long)ttl.TotalMilliseconds));
        return KeyJws.Sign(key, LicenceCredential.JwsType, ElicenceJson.SerializeToUtf8(payload));
    }

    public static string StatusPurposeName(StatusPurpose purpose) => purpose switch
    {
        StatusPurpose.Revocation => "revocation",
        StatusPurpose.Suspension => "suspension",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, null),
    };

    public static StatusPurpose? ParsePurpose(string? name) => name switch
    {
        "revocation" => StatusPurpose.Revocation,
        "suspension" => StatusPurpose.Suspension,
        _ => null,
    };
}
