using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ELicence.Core.Licences;
using ELicence.Core.Text;

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
    /// <summary>The JSON member names of an application (and so of an amendment).</summary>
    public static IReadOnlyList<string> MemberNames { get; } =
        [.. typeof(LicenceApplicationRequest).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Where(n => n != "equalityContract")];

    /// <summary>Reads an application from JSON already parsed; a member of the wrong type is a validation problem naming it.</summary>
    public static LicenceApplicationRequest FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return RequestJson.Read<LicenceApplicationRequest>(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString(ElicenceJson.Options)));
    }

    /// <summary>Validates every field and returns the licence details, or throws a validation problem naming each bad field.</summary>
    /// <param name="today">The registry's date (China time): a term that has already ended cannot be registered.</param>
    public LicenceDetails ToDetails(DateOnly today)
    {
        var errors = new List<FieldError>();
        var name = FreeText.Check(errors, "name", Name, TextKind.Name, 200);
        var domicile = FreeText.Check(errors, "domicile", Domicile, TextKind.Line, 300);
        var representative = FreeText.Check(errors, "legalRepresentative", LegalRepresentative, TextKind.Name, 100);
        var scope = FreeText.Check(errors, "businessScope", BusinessScope, TextKind.MultiLine, 4000);
        var authority = FreeText.Check(errors, "registrationAuthority", RegistrationAuthority, TextKind.Name, 200);
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
        else if (RegisterDates.Check(errors, "establishedOn", EstablishedOn) && EstablishedOn > today)
        {
            // A business is established when it is registered: the date is the first licence's, never after the register's today.
            errors.Add(new FieldError("establishedOn", $"Cannot be after the date of issue ({today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, China time); a term may start later, the establishment cannot."));
        }

        var term = OperatingTerm?.Validate(errors, "operatingTerm", EstablishedOn, today);
        if (OperatingTerm is null)
        {
            errors.Add(new FieldError("operatingTerm", "Required: { \"from\": date, \"to\": date or null for open-ended }."));
        }

        var english = English is null ? null : new EnglishRendering(
            FreeText.Check(errors, "english.name", English.Name, TextKind.Name, 300, required: false),
            FreeText.Check(errors, "english.domicile", English.Domicile, TextKind.Line, 400, required: false),
            FreeText.Check(errors, "english.legalRepresentative", English.LegalRepresentative, TextKind.Name, 150, required: false),
            FreeText.Check(errors, "english.businessScope", English.BusinessScope, TextKind.MultiLine, 6000, required: false),
            FreeText.Check(errors, "english.registrationAuthority", English.RegistrationAuthority, TextKind.Name, 300, required: false));

        if (errors.Count > 0)
        {
            throw ProblemException.Invalid(errors);
        }

        return new LicenceDetails(name!, EntityType!.Value, domicile!, representative!, capital!, EstablishedOn!.Value, term!, scope!, authority!,
            english is { Name: null, Domicile: null, LegalRepresentative: null, BusinessScope: null, RegistrationAuthority: null } ? null : english);
    }

    internal static string Kebab(string pascal) => JsonNamingPolicy.KebabCaseLower.ConvertName(pascal);
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

/// <summary>The dates a register holds: from 1900 to 2999, so every date it derives (the day after a term, UTC instants) exists.</summary>
public static class RegisterDates
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    public static readonly DateOnly Latest = new(2999, 12, 31);

    /// <summary>Adds an error and returns false when the date is outside the register's range; an absent date is fine here.</summary>
    public static bool Check(List<FieldError> errors, string field, DateOnly? date)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (date is { } d && (d < Earliest || d > Latest))
        {
            errors.Add(new FieldError(field, "A date between 1900-01-01 and 2999-12-31; for an open-ended (长期) term send null."));
            return false;
        }

        return true;
    }
}

public sealed record OperatingTermRequest(DateOnly? From, DateOnly? To)
{
    internal OperatingTerm? Validate(List<FieldError> errors, string field, DateOnly? establishedOn, DateOnly today)
    {
        if (From is null)
        {
            errors.Add(new FieldError(field + ".from", "Required: the first day of the operating term (YYYY-MM-DD)."));
            return null;
        }

        if (!RegisterDates.Check(errors, field + ".from", From) || !RegisterDates.Check(errors, field + ".to", To))
        {
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

        if (To is { } end && end < today)
        {
            errors.Add(new FieldError(field + ".to", $"The term ended on {end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}; a licence cannot be registered for a term that has already ended."));
            return null;
        }

        return new OperatingTerm(From.Value, To);
    }
}
