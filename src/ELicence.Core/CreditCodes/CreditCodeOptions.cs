using System.ComponentModel.DataAnnotations;

namespace ELicence.Core.CreditCodes;

/// <summary>Credit code settings (section <c>CreditCodes</c>).</summary>
public sealed class CreditCodeOptions : IValidatableObject
{
    public const string Section = "CreditCodes";

    /// <summary>Comma-separated codes accepted although their GB 11714 check (position 17) fails; position 18 must still be right.</summary>
    public string LegacyExceptions { get; set; } = "";

    public IEnumerable<string> Codes() => LegacyExceptions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public CreditCodeExceptionList ExceptionList() => new(Codes());

    /// <summary>Every listed code must be a code but for its organisation-code check: a typo in the list is caught at start.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Codes()
            .Select(code => (code, result: CreditCode.Validate(code, new CreditCodeExceptionList([code]))))
            .Where(c => !c.result.IsValid)
            .Select(c => new ValidationResult($"{c.code} is not a credit code: {c.result.Message}", [nameof(LegacyExceptions)]));
}
