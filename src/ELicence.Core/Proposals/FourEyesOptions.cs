using System.ComponentModel.DataAnnotations;

namespace ELicence.Core.Proposals;

/// <summary>Section <c>FourEyes</c>: whether revocation and key compromise need a supervisor's approval, and how long a proposal waits.</summary>
public sealed class FourEyesOptions : IValidatableObject
{
    public const string Section = "FourEyes";

    /// <summary>On by default; a small bureau with one person may turn it off, and then the direct routes act at once as before.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a proposal may wait for a decision; after it, it is expired and can only be proposed again.</summary>
    public TimeSpan ProposalLifetime { get; set; } = TimeSpan.FromHours(72);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ProposalLifetime < TimeSpan.FromMinutes(1) || ProposalLifetime > TimeSpan.FromDays(30))
        {
            yield return new ValidationResult($"{Section}:ProposalLifetime must be between 00:01:00 and 30.00:00:00.", [nameof(ProposalLifetime)]);
        }
    }
}
