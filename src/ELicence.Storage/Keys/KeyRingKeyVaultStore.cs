using System.Text;
using Azure.Security.KeyVault.Secrets;

namespace ELicence.Storage.Keys;

/// <summary>
/// The key ring as a Key Vault secret (Key Vault keys support neither Ed25519 nor SM2, so the seeds are kept as a secret),
/// read with the Function App's managed identity.
/// </summary>
/// <remarks>
/// Key Vault has no create-if-absent. The first ring is written and read back: an instance that lost a race adopts the
/// stored ring. Operations provisions the ring before first traffic so this path is only a safety net.
/// </remarks>
public sealed class KeyRingKeyVaultStore(SecretClient secrets, string secretName) : IKeyRingStore
{
    public async Task<byte[]?> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var secret = await secrets.GetSecretAsync(secretName, cancellationToken: cancellationToken);
            return Encoding.UTF8.GetBytes(secret.Value.Value);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> TryCreateAsync(byte[] document, CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not null)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(document);
        await secrets.SetSecretAsync(new KeyVaultSecret(secretName, text) { Properties = { ContentType = "application/json" } }, cancellationToken);
        var stored = await LoadAsync(cancellationToken);
        return stored is not null && Encoding.UTF8.GetString(stored) == text;
    }
}
