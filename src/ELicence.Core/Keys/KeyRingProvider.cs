namespace ELicence.Core.Keys;

/// <summary>Persists the key ring (Key Vault secret in Azure, a private blob locally).</summary>
public interface IKeyRingStore
{
    Task<byte[]?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores the first ring; returns false when another instance stored one first.</summary>
    Task<bool> TryCreateAsync(byte[] document, CancellationToken cancellationToken);
}

public interface IKeyRingProvider
{
    ValueTask<KeyRing> GetAsync(CancellationToken cancellationToken);
}

/// <summary>Loads the ring once and refreshes it every few minutes so a rotation reaches every instance; creates the first ring on first use.</summary>
public sealed class KeyRingProvider(IKeyRingStore store, TimeProvider time) : IKeyRingProvider, IDisposable
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (KeyRing Ring, DateTimeOffset LoadedAt)? _cached;

    public async ValueTask<KeyRing> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } c && time.GetUtcNow() - c.LoadedAt < RefreshAfter)
        {
            return c.Ring;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && time.GetUtcNow() - again.LoadedAt < RefreshAfter)
            {
                return again.Ring;
            }

            var ring = await LoadOrCreateAsync(cancellationToken);
            _cached = (ring, time.GetUtcNow());
            return ring;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<KeyRing> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        var stored = await store.LoadAsync(cancellationToken);
        if (stored is not null)
        {
            return KeyRingDocument.Read(stored);
        }

        var created = KeyRing.CreateNew(time.GetUtcNow());
        if (await store.TryCreateAsync(KeyRingDocument.Write(created), cancellationToken))
        {
            return created;
        }

        return KeyRingDocument.Read(await store.LoadAsync(cancellationToken) ?? throw new InvalidOperationException("The key ring vanished while being created."));
    }
}

/// <summary>The stored form of a key ring. It holds private keys: it belongs only in a secret store.</summary>
public static class KeyRingDocument
{
    private sealed record Document(string SigningKeyId, IReadOnlyList<StoredKey> Keys);

    /// <summary>A key: Seed is the private key (Ed25519 seed or SM2 scalar); Algorithm is absent in rings stored before SM2 keys existed.</summary>
    private sealed record StoredKey(string Kid, string Seed, KeyState State, DateTimeOffset CreatedAt, KeyAlgorithm Algorithm = KeyAlgorithm.Ed25519);

    public static byte[] Write(KeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        return ElicenceJson.SerializeToUtf8(new Document(
            ring.Signing.KeyId,
            ring.Keys.Select(k => new StoredKey(k.KeyId, B64Url.Encode(k.Seed), k.State, k.CreatedAt, k.Algorithm)).ToList()));
    }

    public static KeyRing Read(byte[] document)
    {
        var doc = ElicenceJson.Deserialize<Document>(document) ?? throw new InvalidDataException("The key ring document is empty.");
        var keys = doc.Keys.Select(k =>
        {
            SigningKey key;
            try
            {
                key = B64Url.TryDecode(k.Seed, out var seed)
                    ? SigningKey.FromPrivate(k.Algorithm, seed, k.State, k.CreatedAt)
                    : throw new InvalidDataException($"Key {k.Kid} has no valid {k.Algorithm} private key.");
            }
            catch (ArgumentException)
            {
                throw new InvalidDataException($"Key {k.Kid} has no valid {k.Algorithm} private key.");
            }

            return key.KeyId == k.Kid ? key : throw new InvalidDataException($"Key {k.Kid} does not match its thumbprint.");
        }).ToList();
        return new KeyRing(keys, doc.SigningKeyId);
    }
}
