using System.Diagnostics.CodeAnalysis;

namespace ELicence.Core.CreditCodes;

/// <summary>A Unified Social Credit Code (统一社会信用代码, GB 32100-2015) that has passed validation.</summary>
public readonly record struct CreditCode
{
    /// <summary>The 31 characters a credit code may use, in check-value order (no I, O, S, V, Z).</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    public const int Length = 18;

    private static readonly int[] Weights = BuildWeights();
    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);

    private readonly string? _value;

    private CreditCode(string value) => _value = value;

    public string Value => _value ?? throw new InvalidOperationException("Uninitialised credit code.");

    /// <summary>Position 1: the registration management department (9 = market regulation).</summary>
    public char RegistrationDepartment => Value[0];

    /// <summary>Position 2: the entity type within that department (for department 9: 1 enterprise, 2 individual business, 3 farmers' cooperative).</summary>
    public char EntityTypeCode => Value[1];

    /// <summary>Positions 3–8: the GB/T 2260 administrative division of the registering authority.</summary>
    public string DivisionCode => Value[2..8];

    /// <summary>Positions 9–17: the GB 11714 organisation code (8 characters and its own check character).</summary>
    public string OrganizationCode => Value[8..17];

    public override string ToString() => Value;

    /// <summary>Validates user input (trimmed, upper-cased). <paramref name="legacyExceptions"/> lists codes accepted despite a failing position-17 check.</summary>
    public static CreditCodeValidation Validate(string? input, ICreditCodeExceptions? legacyExceptions = null)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return CreditCodeValidation.Invalid(CreditCodeError.Empty, "A credit code is required.");
        }

        var normalized = Normalize(input);
        if (normalized.Length != Length)
        {
            return CreditCodeValidation.Invalid(CreditCodeError.WrongLength, $"A credit code has {Length} characters; this one has {normalized.Length}.");
        }

        for (var i = 0; i < Length; i++)
        {
            if (Alphabet.IndexOf(normalized[i], StringComparison.Ordinal) < 0)
            {
                return CreditCodeValidation.Invalid(CreditCodeError.InvalidCharacter, $"Character '{normalized[i]}' at position {i + 1} is not allowed (I, O, S, V and Z are never used).");
            }
        }

        var expected18 = ComputeCheckCharacter(normalized.AsSpan(0, 17));
        if (normalized[17] != expected18)
        {
            return CreditCodeValidation.Invalid(CreditCodeError.CheckCharacter, $"The check character (position 18) is '{normalized[17]}' but should be '{expected18}'.");
        }

        if (!RegistrationDepartments.IsKnown(normalized[0]))
        {
            return CreditCodeValidation.Invalid(CreditCodeError.UnknownDepartment, $"'{normalized[0]}' is not a registration department code.");
        }

        if (!RegistrationDepartments.AllowsEntityType(normalized[0], normalized[1]))
        {
            return CreditCodeValidation.Invalid(CreditCodeError.UnknownEntityType, $"'{normalized[1]}' is not an entity type of registration department '{normalized[0]}'.");
        }

        if (!AdministrativeDivisions.IsPlausible(normalized.AsSpan(2, 6)))
        {
            return CreditCodeValidation.Invalid(CreditCodeError.InvalidDivision, $"'{normalized[2..8]}' is not an administrative division code.");
        }

        var orgCheck = OrganizationCodeCheck.Validate(normalized.AsSpan(8, 9));
        if (orgCheck is not null)
        {
            if (legacyExceptions?.Contains(normalized) != true)
            {
                return CreditCodeValidation.Invalid(CreditCodeError.OrganizationCodeCheck, $"The organisation code (positions 9–17) fails its GB 11714 check: {orgCheck}");
            }

            return CreditCodeValidation.Valid(new CreditCode(normalized), acceptedAsLegacyException: true);
        }

        return CreditCodeValidation.Valid(new CreditCode(normalized), acceptedAsLegacyException: false);
    }

    /// <summary>
    /// A code read back from the register, where it was validated when it was written (a listed legacy code among them):
    /// only its shape and position-18 check are confirmed, so a legacy code loads without the exception list.
    /// </summary>
    public static CreditCode FromStored(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var shaped = stored.Length == Length && stored.AsSpan().IndexOfAnyExcept(AlphabetValues) < 0 && ComputeCheckCharacter(stored.AsSpan(0, 17)) == stored[17];
        return shaped ? new CreditCode(stored) : throw new FormatException($"'{stored}' in the register is not a credit code.");
    }

    public static bool TryParse(string? input, [NotNullWhen(true)] out CreditCode? code, ICreditCodeExceptions? legacyExceptions = null)
    {
        var result = Validate(input, legacyExceptions);
        code = result.Code;
        return result.IsValid;
    }

    /// <summary>Parses a code, throwing <see cref="FormatException"/> with the reason when it is invalid.</summary>
    public static CreditCode Parse(string input, ICreditCodeExceptions? legacyExceptions = null)
    {
        var result = Validate(input, legacyExceptions);
        return result.Code ?? throw new FormatException(result.Message);
    }

    /// <summary>Builds a code from its parts, computing both check characters.</summary>
    public static CreditCode Compose(char department, char entityType, string division, string organizationBody)
    {
        ArgumentNullException.ThrowIfNull(division);
        ArgumentNullException.ThrowIfNull(organizationBody);
        if (division.Length != 6 || organizationBody.Length != 8)
        {
            throw new ArgumentException("A division code has 6 characters and an organisation code body 8.");
        }

        var first17 = string.Concat(department.ToString(), entityType.ToString(), division, organizationBody, OrganizationCodeCheck.Compute(organizationBody).ToString());
        return Parse(first17 + ComputeCheckCharacter(first17));
    }

    internal static string Normalize(string input) => input.Trim().ToUpperInvariant();

    /// <summary>Position 18: C18 = 31 − (Σ value(i)·3^(i−1) mod 31) mod 31, GB 32100-2015 §5.</summary>
    internal static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"'{first17[i]}' is not a credit code character.", nameof(first17));
            }

            sum += value * Weights[i];
        }

        return Alphabet[(31 - (sum % 31)) % 31];
    }

    private static int[] BuildWeights()
    {
        var weights = new int[17];
        var w = 1;
        for (var i = 0; i < 17; i++)
        {
            weights[i] = w;
            w = w * 3 % 31;
        }

        return weights;
    }
}

public enum CreditCodeError
{
    Empty,
    WrongLength,
    InvalidCharacter,
    CheckCharacter,
    UnknownDepartment,
    UnknownEntityType,
    InvalidDivision,
    OrganizationCodeCheck,
}

public sealed record CreditCodeValidation(CreditCode? Code, CreditCodeError? Error, string Message, bool AcceptedAsLegacyException)
{
    [MemberNotNullWhen(true, nameof(Code))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Code is not null;

    internal static CreditCodeValidation Invalid(CreditCodeError error, string message) => new(null, error, message, false);

    internal static CreditCodeValidation Valid(CreditCode code, bool acceptedAsLegacyException) =>
        new(code, null, acceptedAsLegacyException ? "Valid; organisation code check waived by the registry's exception list." : "Valid.", acceptedAsLegacyException);
}

/// <summary>
/// Codes that real registries issued with a wrong GB 11714 check character (position 17). They are accepted only when listed,
/// and position 18 must still be right.
/// </summary>
public interface ICreditCodeExceptions
{
    bool Contains(string normalizedCode);
}

public static class CreditCodeInput
{
    /// <summary>Parses a code a caller sent, or throws a validation problem on <paramref name="field"/> with the reason.</summary>
    public static CreditCode ParseField(this ICreditCodeExceptions exceptions, string? input, string field = "code")
    {
        var validation = CreditCode.Validate(input, exceptions);
        return validation.IsValid ? validation.Code.Value : throw Problems.ProblemException.Invalid(field, validation.Message);
    }
}

public sealed class CreditCodeExceptionList(IEnumerable<string> codes) : ICreditCodeExceptions
{
    private readonly HashSet<string> _codes = codes.Select(CreditCode.Normalize).ToHashSet(StringComparer.Ordinal);

    public static CreditCodeExceptionList None { get; } = new([]);

    public bool Contains(string normalizedCode) => _codes.Contains(normalizedCode);
}
