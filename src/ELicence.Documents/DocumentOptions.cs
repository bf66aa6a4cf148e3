using System.ComponentModel.DataAnnotations;

namespace ELicence.Documents;

/// <summary>
/// What the printable documents need beyond the page address (<see cref="Core.Licences.PublicPageOptions"/>, same
/// configuration section <c>Documents</c>).
/// </summary>
public sealed class DocumentOptions : IValidatableObject
{
    public const string Section = "Documents";

    /// <summary>
    /// The Noto Sans SC TrueType file the PDF embeds (subset). Empty: looked up in <c>fonts/</c> beside the app (the publish
    /// output copies it there) and in <c>node_modules/@expo-google-fonts/noto-sans-sc</c> of the working folder or its parents.
    /// </summary>
    public string? FontFile { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(FontFile) && !File.Exists(FontFile))
        {
            yield return new ValidationResult($"Documents:FontFile '{FontFile}' does not exist.", [nameof(FontFile)]);
        }
    }
}
