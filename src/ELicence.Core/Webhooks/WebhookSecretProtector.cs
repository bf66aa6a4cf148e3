using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ELicence.Core.Webhooks;

/// <summary>Where the key that encrypts webhook secrets at rest is kept: created once, then only read (like the log's note key).</summary>
public interface IWebhookSecretKeyStore
{
    /// <summary>The key (32 bytes, base64), or null before the first one.</summary>
    Task<string?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores the first key; false when one is stored already (another instance won).</summary>
    Task<bool> TryCreateAsync(string key, CancellationToken cancellationToken);
}

/// <summary>
/// Encrypts subscription secrets for the table with AES-256-GCM under a key kept apart from the table, like the signing
/// keys (a private blob beside the key ring locally, a Key Vault secret in Azure): a copy of the table alone no longer
/// forges deliveries. The subscription id is the associated data, so a ciphertext moved to another row does not decrypt.
/// A secret stored before encryption (plain <c>whsec_…</c>) is still read, and is encrypted the next time its row is written.
/// </summary>
public sealed class WebhookSecretProtector(IWebhookSecretKeyStore keys) : IDisposable
{
    /// <summary>What an encrypted value starts with: version 1, then base64url of nonce (12) | ciphertext | tag (16).</summary>
    public const string Prefix = "enc1:";

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile byte[]? _key;

    public async Task<string> ProtectAsync(string secret, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(subscriptionId);
        var key = await KeyAsync(cancellationToken);
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), Encoding.UTF8.GetBytes(subscriptionId));
        return Prefix + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The secret of a stored value: decrypted, or as it is when it was stored before encryption.</summary>
    public async Task<string> UnprotectAsync(string stored, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(subscriptionId);
        if (!IsProtected(stored))
        {
            return stored;
        }

        var key = await KeyAsync(cancellationToken);
        var sealedBytes = Base64Url.DecodeFromChars(stored.AsSpan(Prefix.Length));
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException($"The stored secret of {subscriptionId} is too short to be sealed.");
        }

        var length = sealedBytes.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length), plaintext, Encoding.UTF8.GetBytes(subscriptionId));
        return Encoding.UTF8.GetString(plaintext);
    }

    public void Dispose() => _gate.Dispose();

    public static bool IsProtected(string stored) => stored?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    private async Task<byte[]> KeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_key is { } again)
            {
                return again;
            }

            var stored = await keys.LoadAsync(cancellationToken);
            if (stored is null)
            {
                var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
                stored = await keys.TryCreateAsync(fresh, cancellationToken) ? fresh
                    : await keys.LoadAsync(cancellationToken) ?? throw new InvalidOperationException("The webhook secret key was neither created nor found.");
            }

            var key = Convert.FromBase64String(stored.Trim());
            if (key.Length != 32)
            {
                throw new InvalidOperationException("The webhook secret key is not 32 bytes.");
            }

            _key = key;
            return key;
        }
        finally
        {
            _gate.Release();
        }
    }
}
