using ELicence.Core.CreditCodes;

namespace ELicence.Core.Licences;

/// <summary>Where a licence stands. Later life-cycle states are added here; every switch over it is exhaustive.</summary>
public enum LicenceStatus
{
    Active,
}

/// <summary>One version of a business licence as registered, with the credential that was signed for it.</summary>
public sealed record Licence(
    CreditCode Code,
    int Version,
    LicenceDetails Details,
    LicenceStatus Status,
    DateOnly IssuedOn,
    DateTimeOffset IssuedAt,
    string CredentialId,
    string ApplicationId)
{
    public LicenceSummary Summarize() => new(
        Code.Value,
        Details.Name,
        Details.English?.Name,
        Details.EntityType,
        Details.LegalRepresentative,
        Details.EstablishedOn,
        Details.OperatingTerm,
        Details.RegistrationAuthority,
        Status,
        Version);
}

/// <summary>The minimum a verifier needs to know about the licence it checked.</summary>
public sealed record LicenceSummary(
    string CreditCode,
    string Name,
    string? NameEn,
    EntityType EntityType,
    string LegalRepresentative,
    DateOnly EstablishedOn,
    OperatingTerm OperatingTerm,
    string RegistrationAuthority,
    LicenceStatus Status,
    int Version);
