using System.ComponentModel.DataAnnotations;

namespace ELicence.Core.Documents;

/// <summary>What the printable documents need (configuration section <c>Documents</c>).</summary>
public sealed class DocumentOptions : IValidatableObject
{
    public const string Section = "Documents";

    /// <summary>
    /// Where people open the public verification page (<c>{PublicBaseUrl}/verify/{code}</c>): printed on the PDF and in the
    /// QR code, so it must be the address a phone reaches, not an internal one.
    /// </summary>
    [Required]
    [Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:7071";

    /// <summary>
    /// The Noto Sans SC TrueType file the PDF embeds (subset). Empty: looked up in <c>fonts/</c> beside the app (the publish
    /// output copies it there) and in <c>node_modules/@expo-google-fonts/noto-sans-sc</c> of the working folder or its parents.
    /// </summary>
    public string? FontFile { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && (uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            yield return new ValidationResult("Documents:PublicBaseUrl is a base URL: no query and no fragment.", [nameof(PublicBaseUrl)]);
        }

        if (!string.IsNullOrWhiteSpace(FontFile) && !File.Exists(FontFile))
        {
            yield return new ValidationResult($"Documents:FontFile '{FontFile}' does not exist.", [nameof(FontFile)]);
        }
    }

    /// <summary>The base URL without a trailing slash.</summary>
    public string BaseUrl => PublicBaseUrl.TrimEnd('/');
}
