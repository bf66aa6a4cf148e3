using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using ELicence.Core.Credentials;
using ELicence.Jose;
using ELicence.Tlog;

namespace ELicence.Core.Log;

/// <summary>The transparency log's settings (section <c>Log</c>).</summary>
public sealed class LogOptions : IValidatableObject
{
    public const string Section = "Log";

    /// <summary>
    /// The log's origin (checkpoint first line and note key name), used when the note key is first created; empty: the
    /// issuer's host followed by <c>/log</c>. Once the key exists its name is the origin, so changing this later changes nothing.
    /// </summary>
    public string? Origin { get; set; }

    public string OriginFor(IssuerOptions issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        return string.IsNullOrWhiteSpace(Origin) ? new Uri(issuer.Id).Authority + "/log" : Origin;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Origin) && !SignedNote.IsValidKeyName(Origin))
        {
            yield return new ValidationResult("Log:Origin is a note key name: no spaces and no '+'.", [nameof(Origin)]);
        }
    }
}

/// <summary>Where the log's note signing key is kept (beside the credential key ring, never in it): a private blob locally, a Key Vault secret in Azure.</summary>
public interface INoteKeyStore
{
    /// <summary>The stored signer key text (<see cref="NoteSigner.PrivateKey"/>), or null before the first one.</summary>
    Task<string?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores the first key; false when one is stored already (another instance won).</summary>
    Task<bool> TryCreateAsync(string privateKey, CancellationToken cancellationToken);
}

/// <summary>The log's Ed25519 note key: created on first use with the configured origin as its name, then loaded once per instance.</summary>
public sealed class LogNoteKey(INoteKeyStore store, LogOptions options, IssuerOptions issuer)
{
    private volatile NoteSigner? _signer;

    public async ValueTask<NoteSigner> GetAsync(CancellationToken cancellationToken)
    {
        if (_signer is { } cached)
        {
            return cached;
        }

        var stored = await store.LoadAsync(cancellationToken);
        if (stored is null)
        {
            var created = new NoteSigner(options.OriginFor(issuer), RandomNumberGenerator.GetBytes(ELicence.Jose.Ed25519.SeedLength));
            await store.TryCreateAsync(created.PrivateKey, cancellationToken);
            stored = await store.LoadAsync(cancellationToken) ?? throw new InvalidOperationException("The log note key vanished while being created.");
        }

        var signer = NoteSigner.TryParsePrivateKey(stored, out var parsed) ? parsed! : throw new InvalidDataException("The stored log note key is not an Ed25519 note signer key.");
        _signer = signer;
        return signer;
    }
}
