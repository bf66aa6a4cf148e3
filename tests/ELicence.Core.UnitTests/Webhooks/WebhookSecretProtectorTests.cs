using System.Security.Cryptography;
using ELicence.Core.Webhooks;

namespace ELicence.Core.UnitTests.Webhooks;

/// <summary>Webhook secrets at rest: AES-256-GCM under a key kept apart, bound to their subscription; old plain rows still read.</summary>
public sealed class WebhookSecretProtectorTests : IDisposable
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private readonly KeyStore _keys = new();
    private readonly WebhookSecretProtector _protector;

    public WebhookSecretProtectorTests() => _protector = new WebhookSecretProtector(_keys);

    [Fact]
    public async Task A_secret_is_stored_encrypted_and_read_back()
    {
        var stored = await _protector.ProtectAsync(Secret, "whk_1", default);

        Assert.StartsWith(WebhookSecretProtector.Prefix, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("MfKQ9r8G", stored, StringComparison.Ordinal);
        Assert.NotEqual(stored, await _protector.ProtectAsync(Secret, "whk_1", default)); // a fresh nonce each time
        Assert.Equal(Secret, await _protector.UnprotectAsync(stored, "whk_1", default));
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_subscription_or_altered_does_not_decrypt()
    {
        var stored = await _protector.ProtectAsync(Secret, "whk_1", default);
        var altered = stored[..^2] + (stored[^2] == 'A' ? "B" : "A") + stored[^1];

        await Assert.ThrowsAnyAsync<CryptographicException>(() => _protector.UnprotectAsync(stored, "whk_2", default));
        await Assert.ThrowsAnyAsync<CryptographicException>(() => _protector.UnprotectAsync(altered, "whk_1", default));
    }

    [Fact]
    public async Task A_secret_stored_in_plain_text_before_encryption_is_still_read()
    {
        Assert.Equal(Secret, await _protector.UnprotectAsync(Secret, "whk_1", default));
        Assert.Equal(0, _keys.Loads); // reading an old row needs no key
    }

    [Fact]
    public async Task The_key_is_created_once_and_shared_by_every_instance()
    {
        using var other = new WebhookSecretProtector(_keys);
        var stored = await _protector.ProtectAsync(Secret, "whk_1", default);

        Assert.Equal(Secret, await other.UnprotectAsync(stored, "whk_1", default));
        Assert.Equal(1, _keys.Creations);
    }

    public void Dispose() => _protector.Dispose();

    private sealed class KeyStore : IWebhookSecretKeyStore
    {
        private string? _key;

        public int Loads { get; private set; }

        public int Creations { get; private set; }

        public Task<string?> LoadAsync(CancellationToken cancellationToken)
        {
            Loads++;
            return Task.FromResult(_key);
        }

        public Task<bool> TryCreateAsync(string key, CancellationToken cancellationToken)
        {
            if (_key is not null)
            {
                return Task.FromResult(false);
            }

            Creations++;
            _key = key;
            return Task.FromResult(true);
        }
    }
}
