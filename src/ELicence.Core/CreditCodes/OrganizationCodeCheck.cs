namespace ELicence.Core.CreditCodes;

/// <summary>GB 11714-1997 organisation code check character (position 9 of the organisation code).</summary>
internal static class OrganizationCodeCheck
{
    private static readonly int[] Weights = [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>C9 = 11 − (Σ value·weight mod 11); 10 is written X and 11 is written 0.</summary>
    public static char Compute(ReadOnlySpan<char> body)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += Value(body[i]) * Weights[i];
        }

        return (11 - (sum % 11)) switch
        {
            10 => 'X',
            11 => '0',
            var c => (char)('0' + c),
        };
    }

    /// <summary>Returns null when the 9 characters are a valid organisation code, otherwise the reason.</summary>
    public static string? Validate(ReadOnlySpan<char> code)
    {
        for (var i = 0; i < 8; i++)
        {
            if (Value(code[i]) < 0)
            {
                return $"'{code[i]}' is not allowed in an organisation code.";
            }
        }

        var expected = Compute(code[..8]);
        return code[8] == expected ? null : $"check character is '{code[8]}' but should be '{expected}'.";
    }

    private static int Value(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => -1,
    };
}
