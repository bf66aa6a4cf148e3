using System.Text.Json.Serialization;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Serialization;
using ELicence.Core.StatusLists;

namespace ELicence.Core.Credentials;

/// <summary>
/// A business licence as a W3C Verifiable Credential 2.0, secured as a compact JWS (VC-JOSE-COSE, media type application/vc+jwt).
/// Everything printed on the licence is in the credential subject, so the credential stands on its own offline.
/// </summary>
public sealed record LicenceCredentialPayload(
    [property: JsonPropertyName("@context")] IReadOnlyList<string> Context,
    string Id,
    IReadOnlyList<string> Type,
    CredentialIssuer Issuer,
    DateTimeOffset ValidFrom,
    DateTimeOffset? ValidUntil,
    LicenceSubject CredentialSubject,
    IReadOnlyList<StatusListEntry>? CredentialStatus);

public sealed record CredentialIssuer(string Id, string Name, string NameEn);

public sealed record LicenceSubject(
    string CreditCode,
    int LicenceVersion,
    string Name,
    EntityType EntityType,
    string EntityTypeName,
    string Domicile,
    string LegalRepresentative,
    Money RegisteredCapital,
    DateOnly EstablishedOn,
    OperatingTerm OperatingTerm,
    string BusinessScope,
    string RegistrationAuthority,
    DateOnly IssuedOn,
    EnglishRendering? English);

public static class LicenceCredential
{
    public const string VcContext = "https://www.w3.org/ns/credentials/v2";
    public const string CredentialType = "BusinessLicenceCredential";
    public const string JwsType = "vc+jwt";
    public const string MediaType = "application/vc+jwt";

    public static LicenceCredentialPayload PayloadFor(Licence licence, IssuerOptions issuer)
    {
        ArgumentNullException.ThrowIfNull(licence);
        ArgumentNullException.ThrowIfNull(issuer);
        var d = licence.Details;
        var english = d.English is null ? null : d.English with { };
        return new LicenceCredentialPayload(
            [VcContext],
            licence.CredentialId,
            ["VerifiableCredential", CredentialType],
            new CredentialIssuer(issuer.Id, issuer.Name, issuer.NameEn),
            TruncateToSeconds(licence.IssuedAt),
            ValidUntil(d.OperatingTerm),
            new LicenceSubject(
                licence.Code.Value,
                licence.Version,
                d.Name,
                d.EntityType,
                d.EntityType.ChineseName(),
                d.Domicile,
                d.LegalRepresentative,
                d.RegisteredCapital,
                d.EstablishedOn,
                d.OperatingTerm,
                d.BusinessScope,
                d.RegistrationAuthority,
                licence.IssuedOn,
                english),
            StatusListCredentials.EntriesFor(issuer, licence.StatusListIndex));
    }

    /// <summary>The end of the operating term: the credential is valid until the start of the day after it, China time.</summary>
    public static DateTimeOffset? ValidUntil(OperatingTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return term.To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).ToUniversalTime() : null;
    }

    /// <summary>Signs the licence's credential. The same licence and key always give the same token (Ed25519 is deterministic).</summary>
    public static string Sign(Licence licence, IssuerOptions issuer, SigningKey key) =>
        CompactJws.Sign(key, JwsType, ElicenceJson.SerializeToUtf8(PayloadFor(licence, issuer)));

    /// <summary>Reads the payload of a JWS whose signature has been checked; null when it is not a licence credential.</summary>
    public static LicenceCredentialPayload? TryReadPayload(ReadOnlySpan<byte> payload)
    {
        try
        {
            var parsed = ElicenceJson.Deserialize<LicenceCredentialPayload>(payload);
            return parsed is not null && parsed.Type?.Contains(CredentialType) == true && parsed.CredentialSubject?.CreditCode is not null ? parsed : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
