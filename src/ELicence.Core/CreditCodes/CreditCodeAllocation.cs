using ELicence.Core.Licences;

namespace ELicence.Core.CreditCodes;

/// <summary>
/// Turns a registry sequence number into this registry's next credit code: department 9, Atushi City's division,
/// and an organisation code body "MA" + six base-31 digits (the MA range is the one used for codes issued since 2015).
/// </summary>
public static class CreditCodeAllocation
{
    public const long Capacity = 887_503_681; // 31^6

    public static CreditCode CodeFor(long sequence, EntityType entityType, string division = AdministrativeDivisions.AtushiCity)
    {
        if (sequence is < 0 or >= Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "The registry's code range is exhausted.");
        }

        Span<char> digits = stackalloc char[6];
        var n = sequence;
        for (var i = 5; i >= 0; i--)
        {
            digits[i] = CreditCode.Alphabet[(int)(n % 31)];
            n /= 31;
        }

        return CreditCode.Compose(RegistrationDepartments.MarketRegulation, entityType.CreditCodeTypeCharacter(), division, "MA" + new string(digits));
    }
}
