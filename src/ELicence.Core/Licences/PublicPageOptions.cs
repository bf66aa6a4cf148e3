using System.ComponentModel.DataAnnotations;
using ELicence.Core.CreditCodes;

namespace ELicence.Core.Licences;

/// <summary>
/// Where the public verification page of a licence lives (configuration section <c>Documents</c>, key
/// <c>PublicBaseUrl</c>): the documents print it and webhooks link to it, so it belongs to the licence, not to the PDF.
/// </summary>
public sealed class PublicPageOptions : IValidatableObject
{
    public const string Section = "Documents";

    /// <summary>
    /// Where people open the public verification page (<c>{PublicBaseUrl}/verify/{code}</c>): printed on the PDF and in the
    /// QR code, so it must be the address a phone reaches, not an internal one.
    /// </summary>
    [Required]
    [Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:7071";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) && (uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            yield return new ValidationResult("Documents:PublicBaseUrl is a base URL: no query and no fragment.", [nameof(PublicBaseUrl)]);
        }
    }

    /// <summary>The base URL without a trailing slash.</summary>
    public string BaseUrl => PublicBaseUrl.TrimEnd('/');

    /// <summary>The public page of the licence, without a copy to check.</summary>
    public string PageUrl(CreditCode code) => $"{BaseUrl}/verify/{code.Value}";
}
