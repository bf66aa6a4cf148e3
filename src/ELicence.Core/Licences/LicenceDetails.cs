using System.Text.Json.Serialization;

namespace ELicence.Core.Licences;

/// <summary>Registered capital (注册资本): an amount in an ISO 4217 currency.</summary>
public sealed record Money(decimal Amount, string Currency);

/// <summary>Operating term (营业期限): from a date, to a date or open-ended (长期) when <see cref="To"/> is null.</summary>
public sealed record OperatingTerm(DateOnly From, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateOnly? To)
{
    [JsonIgnore]
    public bool IsOpenEnded => To is null;

    public bool HasEndedBy(DateOnly day) => To is { } end && day > end;
}

/// <summary>The English rendering of the licence, field by field, where the registrar gives one.</summary>
public sealed record EnglishRendering(
    string? Name,
    string? Domicile,
    string? LegalRepresentative,
    string? BusinessScope,
    string? RegistrationAuthority);

/// <summary>The registered particulars printed on a business licence.</summary>
public sealed record LicenceDetails(
    string Name,
    EntityType EntityType,
    string Domicile,
    string LegalRepresentative,
    Money RegisteredCapital,
    DateOnly EstablishedOn,
    OperatingTerm OperatingTerm,
    string BusinessScope,
    string RegistrationAuthority,
    EnglishRendering? English);
