using FsCheck;
using FsCheck.Fluent;
using ELicence.Jose;

namespace ELicence.Core.UnitTests.Properties;

/// <summary>
/// Generators of what a hostile or careless caller sends: arbitrary strings, strings from an alphabet of characters that
/// break keys, URLs, JSON and base64, and mutations of a valid value. Mutations and JSON are drawn from a seeded
/// <see cref="Random"/>, so a failing input is printed and reproducible.
/// </summary>
internal static class Inputs
{
    /// <summary>Characters that matter to some parser: separators, quotes, escapes, white space, controls, non-ASCII, surrogates.</summary>
    private const string Hostile = "/\\#?%'\".,:;=+-_ {}[]()<>&|*~`!@$^\0\t\r\n\u0001\u001f\u007f\u0085\u00a0\u2028\ufeff\uffff\ud800\udc00é中Ｏ０AaZz09IOSVZ";

    private const string CodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXYabcdefghjklmnpqrtuwxyIOSVZ ";

    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>FsCheck's own strings (null included).</summary>
    public static Gen<string?> Arbitrary { get; } = ArbMap.Default.GeneratorFor<string?>();

    /// <summary>Strings of the hostile alphabet, mostly short, sometimes thousands of characters.</summary>
    public static Gen<string> HostileText { get; } = Gen.Frequency(
        (8, Gen.Choose(0, 40).SelectMany(n => Of(Hostile, n))),
        (1, Gen.Choose(1000, 5000).SelectMany(n => Of(Hostile, n))));

    /// <summary>Any of: arbitrary, hostile, or a mutation of one of the valid examples.</summary>
    public static Gen<string?> Around(params string[] valid) => Gen.Frequency(
        (2, Arbitrary),
        (2, HostileText.Select(s => (string?)s)),
        (6, Mutation(valid).Select(s => (string?)s)));

    /// <summary>A valid example changed in one to five places: inserted, deleted, replaced, duplicated or case-changed characters.</summary>
    public static Gen<string> Mutation(params string[] valid) =>
        Gen.Elements(valid).SelectMany(v => Gen.Choose(0, int.MaxValue).Select(seed => Mutate(v, new Random(seed))));

    /// <summary>Strings of credit-code characters (and their look-alikes) of lengths around 18.</summary>
    public static Gen<string> CodeLike { get; } = Gen.Choose(15, 20).SelectMany(n => Of(CodeAlphabet, n));

    /// <summary>Three (or two, or four) parts of base64url-ish text, sometimes with a real JSON header.</summary>
    public static Gen<string> TokenLike { get; } =
        Gen.Choose(0, int.MaxValue).Select(seed =>
        {
            var r = new Random(seed);
            var parts = Enumerable.Range(0, r.Next(10) switch { 0 => 2, 1 => 4, _ => 3 }).Select(i => i == 0 && r.Next(2) == 0
                ? Encode(Encoding.UTF8.GetBytes(Json.Header(r)), r)
                : new string([.. Enumerable.Range(0, r.Next(0, 90)).Select(_ => Base64UrlAlphabet[r.Next(Base64UrlAlphabet.Length)])]));
            return string.Join('.', parts);
        });

    /// <summary>JSON-ish text for a request record: mostly well-formed JSON with its members (and others) of every type, sometimes broken.</summary>
    public static Gen<string> JsonFor(params string[] members) =>
        Gen.Choose(0, int.MaxValue).Select(seed => Json.Body(new Random(seed), members));

    public static Gen<string> Of(string alphabet, int length) =>
        Gen.Elements(alphabet.ToCharArray()).ArrayOf(length).Select(chars => new string(chars));

    private static string Mutate(string value, Random r)
    {
        var s = new StringBuilder(value);
        for (var i = r.Next(1, 6); i > 0; i--)
        {
            var at = r.Next(s.Length + 1);
            switch (r.Next(6))
            {
                case 0: s.Insert(at, Hostile[r.Next(Hostile.Length)]); break;
                case 1 when at < s.Length: s.Remove(at, 1); break;
                case 2 when at < s.Length: s[at] = Hostile[r.Next(Hostile.Length)]; break;
                case 3 when at < s.Length: s.Insert(at, s.ToString(at, Math.Min(s.Length - at, r.Next(1, 8)))); break;
                case 4 when at < s.Length: s[at] = char.IsUpper(s[at]) ? char.ToLowerInvariant(s[at]) : char.ToUpperInvariant(s[at]); break;
                default: s.Insert(at, Base64UrlAlphabet[r.Next(Base64UrlAlphabet.Length)]); break;
            }
        }

        return s.ToString();
    }

    /// <summary>Base64url, sometimes deliberately non-canonical (padding, standard alphabet, white space).</summary>
    private static string Encode(byte[] bytes, Random r) => r.Next(6) switch
    {
        0 => Convert.ToBase64String(bytes),
        1 => ELicence.Jose.B64Url.Encode(bytes) + " ",
        _ => ELicence.Jose.B64Url.Encode(bytes),
    };

    /// <summary>Random JSON documents.</summary>
    private static class Json
    {
        private static readonly string[] Strings =
        [
            "", " ", "x", "EdDSA", "none", "vc+jwt", "2026-11-02", "2026-02-30", "9999-12-31", "0001-01-01", "CNY", "cny", "XXXX",
            "limited-liability-company", "individual-business", "LimitedLiabilityCompany", "annual-report-not-filed", "notification-commitment",
            "valid", "revoked", "91653001MA0000015P", "阿图什市", "\\u0000", "\\ud800", "a\\nb", "\\\"", "<script>", "../../x",
        ];

        private static readonly string[] Numbers = ["0", "-1", "1", "1.5", "0.001", "1e400", "-1e400", "1E2", "123456789012345678901234567890", "2147483648", "-0", "1000000"];

        public static string Header(Random r) =>
            Object(r, ["alg", "kid", "typ", "crit", "b64", "jwk", "jku"], depth: 1);

        public static string Body(Random r, string[] members)
        {
            var text = r.Next(12) switch
            {
                0 => Value(r, members, depth: 0),           // not an object
                _ => Object(r, members, depth: 0),
            };
            return r.Next(10) switch
            {
                0 when text.Length > 0 => text[..r.Next(text.Length)],                       // truncated
                1 => text.Insert(r.Next(text.Length + 1), Hostile[r.Next(Hostile.Length)].ToString()), // a stray character
                _ => text,
            };
        }

        private static string Object(Random r, string[] members, int depth)
        {
            var names = Enumerable.Range(0, r.Next(0, members.Length + 3))
                .Select(_ => r.Next(8) == 0 ? Strings[r.Next(Strings.Length)] : members[r.Next(members.Length)]);
            return "{" + string.Join(",", names.Select(n => $"\"{n}\":{Value(r, members, depth + 1)}")) + "}";
        }

        private static string Value(Random r, string[] members, int depth) => r.Next(depth > 3 ? 6 : 9) switch
        {
            0 => "null",
            1 => r.Next(2) == 0 ? "true" : "false",
            2 => Numbers[r.Next(Numbers.Length)],
            3 or 4 => $"\"{Strings[r.Next(Strings.Length)]}\"",
            5 => $"\"{new string('长', r.Next(0, 5000))}\"",
            6 => "[" + string.Join(",", Enumerable.Range(0, r.Next(4)).Select(_ => Value(r, members, depth + 1))) + "]",
            _ => Object(r, members, depth),
        };
    }
}
