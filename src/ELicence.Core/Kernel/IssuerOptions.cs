using System.ComponentModel.DataAnnotations;

namespace ELicence.Core.Kernel;

/// <summary>Who signs credentials and receipts (configuration section <c>Issuer</c>).</summary>
public sealed class IssuerOptions
{
    public const string Section = "Issuer";

    /// <summary>The issuer's identifier: the public base URL of the service, where its JWKS is published.</summary>
    [Required]
    [Url]
    public string Id { get; set; } = "http://localhost:7071";

    [Required]
    public string Name { get; set; } = "阿图什市市场监督管理局";

    [Required]
    public string NameEn { get; set; } = "Atushi City Administration for Market Regulation";
}
