using System.Globalization;
using ELicence.Core.Licences;
using ELicence.Core.Problems;

namespace ELicence.Core.Applications;

/// <summary>The JSON body of an application as the registrar sends it; every member optional here so that validation can name what is missing.</summary>
public sealed record LicenceApplicationRequest(
    string? Name,
    EntityType? EntityType,
    string? Domicile,
    string? LegalRepresentative,
    MoneyRequest? RegisteredCapital,
    DateOnly? EstablishedOn,
    OperatingTermRequest? OperatingTerm,
    string? BusinessScope,
    string? RegistrationAuthority,
    EnglishRendering? English)
{
    /// <summary>Validates every field and returns the licence details, or throws a validation problem naming each bad field.</summary>
    public LicenceDetails ToDetails()
    {
        var errors = new List<FieldError>();
        var name = Text(errors, "name", Name, 200);
        var domicile = Text(errors, "domicile", Domicile, 300);
        var representative = Text(errors, "legalRepresentative", LegalRepresentative, 100);
        var scope = Text(errors, "businessScope", BusinessScope, 4000);
        var authority = Text(errors, "registrationAuthority", RegistrationAuthority, 200);
        if (EntityType is null)
        {
            errors.Add(new FieldError("entityType", "Required: one of " + string.Join(", ", Enum.GetNames<EntityType>().Select(Kebab)) + "."));
        }

        var capital = RegisteredCapital?.Validate(errors, "registeredCapital");
        if (RegisteredCapital is null)
        {
            errors.Add(new FieldError("registeredCapital", "Required: { \"amount\": number, \"currency\": ISO 4217 code }."));
        }

        if (EstablishedOn is null)
        {
            errors.Add(new FieldError("establishedOn", "Required: a date (YYYY-MM-DD)."));
        }

        var term = OperatingTerm?.Validate(errors, "operatingTerm", EstablishedOn);
        if (OperatingTerm is null)
        {
            errors.Add(new FieldError("operatingTerm", "Required: { \"from\": date, \"to\": date or null for open-ended }."));
        }

        if (English is not null)
        {
            Optional(errors, "english.name", English.Name, 300);
            Optional(errors, "english.domicile", English.Domicile, 400);
            Optional(errors, "english.legalRepresentative", English.LegalRepresentative, 150);
            Optional(errors, "english.businessScope", English.BusinessScope, 6000);
            Optional(errors, "english.registrationAuthority", English.RegistrationAuthority, 300);
        }

        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        return new LicenceDetails(name!, EntityType!.Value, domicile!, representative!, capital!, EstablishedOn!.Value, term!, scope!, authority!, Normalize(English));
    }

    private static EnglishRendering? Normalize(EnglishRendering? english)
    {
        if (english is null)
        {
            return null;
        }

        var trimmed = new EnglishRendering(english.Name?.Trim(), english.Domicile?.Trim(), english.LegalRepresentative?.Trim(), english.BusinessScope?.Trim(), english.RegistrationAuthority?.Trim());
        return trimmed is { Name: null or "", Domicile: null or "", LegalRepresentative: null or "", BusinessScope: null or "", RegistrationAuthority: null or "" } ? null : trimmed;
    }

    private static string? Text(List<FieldError> errors, string field, string? value, int maxLength)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors.Add(new FieldError(field, "Required and must not be blank."));
            return null;
        }

        return Check(errors, field, trimmed, maxLength);
    }

    private static void Optional(List<FieldError> errors, string field, string? value, int maxLength)
    {
        if (value is not null)
        {
            Check(errors, field, value.Trim(), maxLength);
        }
    }

    private static string? Check(List<FieldError> errors, string field, string value, int maxLength)
    {
        if (value.Length > maxLength)
        {
            errors.Add(new FieldError(field, $"At most {maxLength} characters; got {value.Length}."));
            return null;
        }

        if (value.Any(c => char.IsControl(c) && c is not '\n'))
        {
            errors.Add(new FieldError(field, "Must not contain control characters."));
            return null;
        }

        return value;
    }

    internal static string Kebab(string pascal) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(pascal);
}

public sealed record MoneyRequest(decimal? Amount, string? Currency)
{
    internal Money? Validate(List<FieldError> errors, string field)
    {
        var ok = true;
        if (Amount is null || Amount < 0 || Amount > 1_000_000_000_000_000m)
        {
            errors.Add(new FieldError(field + ".amount", "Required: a non-negative amount."));
            ok = false;
        }
        else if (decimal.Round(Amount.Value, 2) != Amount.Value)
        {
            errors.Add(new FieldError(field + ".amount", "At most two decimal places."));
            ok = false;
        }

        var currency = Currency?.Trim().ToUpperInvariant();
        if (currency is null || currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            errors.Add(new FieldError(field + ".currency", "Required: a three-letter ISO 4217 code such as CNY or USD."));
            ok = false;
        }

        return ok ? new Money(Amount!.Value, currency!) : null;
    }
}

public sealed record OperatingTermRequest(DateOnly? From, DateOnly? To)
{
    internal OperatingTerm? Validate(List<FieldError> errors, string field, DateOnly? establishedOn)
    {
        if (From is null)
        {
            errors.Add(new FieldError(field + ".from", "Required: the first day of the operating term (YYYY-MM-DD)."));
            return null;
        }

        if (establishedOn is { } est && From < est)
        {
            errors.Add(new FieldError(field + ".from", $"Cannot start before the establishment date {est.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}."));
            return null;
        }

        if (To is { } to && to < From)
        {
            errors.Add(new FieldError(field + ".to", "Cannot end before it starts; use null for an open-ended (长期) term."));
            return null;
        }

        return new OperatingTerm(From.Value, To);
    }
}
