namespace ELicence.OfflineVerifier;

/// <summary>
/// <c>audit &lt;command&gt; [&lt;input&gt;] --option value…</c>. Each command takes only its own options; <c>--url</c> is an
/// http(s) base URL; <c>--key</c> and <c>--key-file</c> exclude each other.
/// </summary>
internal sealed record AuditOptions(string Command, string? Input, string? Url, string? Key, string? KeyFile, string? Origin, string? Save, string? Old, string? New, string? Proof)
{
    private static readonly Dictionary<string, (string[] Allowed, string[] Required)> Commands = new(StringComparer.Ordinal)
    {
        ["checkpoint"] = (["--url", "--key", "--key-file", "--origin", "--save"], ["--url"]),
        ["consistency"] = (["--url", "--key", "--key-file", "--origin", "--old", "--new"], ["--url", "--old"]),
        ["receipt"] = (["--url", "--key", "--key-file", "--origin", "--proof"], ["--proof"]),
        ["tiles"] = (["--url", "--key", "--key-file", "--origin"], ["--url"]),
    };

    public static bool TryParse(string[] args, out AuditOptions options)
    {
        options = null!;
        if (args.Length < 2 || args[0] != "audit" || !Commands.TryGetValue(args[1], out var spec))
        {
            return false;
        }

        var first = 2;
        string? input = null;
        if (args[1] == "receipt")
        {
            if (args.Length < 3 || (args[2].StartsWith("--", StringComparison.Ordinal) && args[2] != "-"))
            {
                return false;
            }

            input = args[2];
            first = 3;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = first; i < args.Length; i += 2)
        {
            if (!spec.Allowed.Contains(args[i]) || i + 1 >= args.Length || !values.TryAdd(args[i], args[i + 1]))
            {
                return false;
            }
        }

        if (spec.Required.Any(r => !values.ContainsKey(r)) || (values.ContainsKey("--key") && values.ContainsKey("--key-file")))
        {
            return false;
        }

        var url = values.GetValueOrDefault("--url");
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0))
        {
            return false;
        }

        options = new AuditOptions(args[1], input, url, values.GetValueOrDefault("--key"), values.GetValueOrDefault("--key-file"), values.GetValueOrDefault("--origin"),
            values.GetValueOrDefault("--save"), values.GetValueOrDefault("--old"), values.GetValueOrDefault("--new"), values.GetValueOrDefault("--proof"));
        return true;
    }
}
