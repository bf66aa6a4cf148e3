using System.Text.Json.Serialization;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.StatusLists;

namespace ELicence.Core.Credentials;

/// <summary>
/// A business licence as a W3C Verifiable Credential 2.0, secured as a compact JWS (VC-JOSE-COSE, media type application/vc+jwt).
/// Everything printed on the licence is in the credential subject, so the credential stands on its own offline. Every term
/// is defined by the VC 2.0 context or by the service's own context (<see cref="LicenceContext"/>), the second @context entry.
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

/// <summary>The issuer: its URL and its name in Chinese and English.</summary>
public sealed record CredentialIssuer(string Id, LocalizedText Name)
{
    // Internal, so that JSON reading sees one public constructor.
    internal CredentialIssuer(string id, string name, string? nameEn)
        : this(id, new LocalizedText(name, nameEn))
    {
    }
}

/// <summary>
/// The business the licence is about. <see cref="Id"/> identifies the business itself (not the licence or a version of it)
/// with a URL under the issuer's authority derived from its credit code: see <see cref="LicenceCredential.SubjectId"/>.
/// </summary>
public sealed record LicenceSubject(
    string Id,
    string CreditCode,
    int LicenceVersion,
    LocalizedText Name,
    EntityType EntityType,
    string EntityTypeName,
    LocalizedText Domicile,
    LocalizedText LegalRepresentative,
    Money RegisteredCapital,
    DateOnly EstablishedOn,
    OperatingTerm OperatingTerm,
    LocalizedText BusinessScope,
    LocalizedText RegistrationAuthority,
    DateOnly IssuedOn);

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
        var en = d.English;
        return new LicenceCredentialPayload(
            [VcContext, LicenceContext.Url(issuer)],
            licence.CredentialId,
            ["VerifiableCredential", CredentialType],
            new CredentialIssuer(issuer.Id, issuer.Name, issuer.NameEn),
            ValidFrom(licence),
            ValidUntil(d.OperatingTerm),
            new LicenceSubject(
                SubjectId(issuer, licence.Code.Value),
                licence.Code.Value,
                licence.Version,
                new LocalizedText(d.Name, en?.Name),
                d.EntityType,
                d.EntityType.ChineseName(),
                new LocalizedText(d.Domicile, en?.Domicile),
                new LocalizedText(d.LegalRepresentative, en?.LegalRepresentative),
                d.RegisteredCapital,
                d.EstablishedOn,
                d.OperatingTerm,
                new LocalizedText(d.BusinessScope, en?.BusinessScope),
                new LocalizedText(d.RegistrationAuthority, en?.RegistrationAuthority),
                licence.IssuedOn),
            StatusListCredentials.EntriesFor(issuer, licence.StatusListIndex));
    }

    /// <summary>
    /// The identifier of the business as a credential subject: <c>{issuer}/id/business/{credit code}</c>. The credit code is
    /// the business's identity for life (licences, versions and keys change around it), and the issuer is the authority
    /// that assigned it, so a URL in the issuer's own namespace is globally unique without squatting an unregistered URN
    /// namespace or a DID method the service does not host.
    /// </summary>
    public static string SubjectId(IssuerOptions issuer, string creditCode)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return $"{issuer.Id.TrimEnd('/')}/id/business/{creditCode}";
    }

    /// <summary>
    /// When the credential is issued, or — for a business registered ahead of its operating term — the first day of that
    /// term (China time), so an offline check says "not yet in force" exactly as the online one does.
    /// </summary>
    public static DateTimeOffset ValidFrom(Licence licence)
    {
        ArgumentNullException.ThrowIfNull(licence);
        var issued = TruncateToSeconds(licence.IssuedAt);
        var termStarts = new DateTimeOffset(licence.Details.OperatingTerm.From.ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).ToUniversalTime();
        return termStarts > issued ? termStarts : issued;
    }

    /// <summary>The end of the operating term: the credential is valid until the start of the day after it, China time.</summary>
    public static DateTimeOffset? ValidUntil(OperatingTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return term.To is { } to ? new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset).ToUniversalTime() : null;
    }

    /// <summary>Signs the licence's credential. The same licence and key always give the same token (Ed25519 is deterministic).</summary>
    public static string Sign(Licence licence, IssuerOptions issuer, SigningKey key) =>
        KeyJws.Sign(key, JwsType, ElicenceJson.SerializeToUtf8(PayloadFor(licence, issuer)));

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
