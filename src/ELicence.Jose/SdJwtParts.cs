namespace ELicence.Jose;

/// <summary>An SD-JWT split at its '~' separators (RFC 9901 §4): the issuer-signed JWT, the disclosures, and the key-binding JWT if any.</summary>
public sealed record SdJwtParts(string IssuerJwt, IReadOnlyList<string> Disclosures, string? KeyBindingJwt)
{
    /// <summary>The SD-JWT without its key-binding JWT, ending with '~': what the KB-JWT's <c>sd_hash</c> is computed over.</summary>
    public string WithoutKeyBinding => IssuerJwt + "~" + string.Concat(Disclosures.Select(d => d + "~"));
}
