using ELicence.Jose;

namespace ELicence.Core.Keys;

/// <summary>The stored ring and the version it was read at (a blob ETag, a Key Vault secret version).</summary>
public sealed record StoredKeyRing(byte[] Document, string Version);

/// <summary>Persists the key ring (Key Vault secret in Azure, a private blob locally).</summary>
public interface IKeyRingStore
{
    Task<StoredKeyRing?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores the first ring; returns false when another instance stored one first.</summary>
    Task<bool> TryCreateAsync(byte[] document, CancellationToken cancellationToken);

    /// <summary>Replaces the ring if it is still at <paramref name="version"/>; false when another writer changed it first.</summary>
    Task<bool> TryReplaceAsync(byte[] document, string version, CancellationToken cancellationToken);
}

public interface IKeyRingProvider
{
    ValueTask<KeyRing> GetAsync(CancellationToken cancellationToken);
}

/// <summary>Changes the stored ring safely against concurrent writers.</summary>
public interface IKeyRingEditor
{
    /// <summary>
    /// Applies <paramref name="change"/> to the stored ring and writes the result guarded by the version it read; when another
    /// writer got there first, reads again and re-applies, so concurrent changes never overwrite each other. A change that
    /// returns null writes nothing. Returns the ring as stored afterwards and whether this call changed it.
    /// </summary>
    Task<(KeyRing Ring, bool Changed)> UpdateAsync(Func<KeyRing, KeyRing?> change, CancellationToken cancellationToken);
}

/// <summary>Loads the ring once and refreshes it every few minutes so a rotation reaches every instance; creates the first ring on first use.</summary>
public sealed class KeyRingProvider(IKeyRingStore store, TimeProvider time) : IKeyRingProvider, IKeyRingEditor, IDisposable
{
    /// <summary>How stale an instance's ring may be; the announce period allows for it.</summary>
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(5);
    private const int MaxAttempts = 10;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Cached? _cached; // one reference, so a reader never sees half of an update

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

            var ring = (await LoadOrCreateAsync(cancellationToken)).Ring;
            _cached = new(ring, time.GetUtcNow());
            return ring;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<(KeyRing Ring, bool Changed)> UpdateAsync(Func<KeyRing, KeyRing?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (ring, version) = await LoadOrCreateAsync(cancellationToken);
            var next = change(ring);
            if (next is null)
            {
                _cached = new(ring, time.GetUtcNow());
                return (ring, false);
            }

            if (await store.TryReplaceAsync(KeyRingDocument.Write(next), version, cancellationToken))
            {
                _cached = new(next, time.GetUtcNow()); // this instance signs with the new ring at once; others within RefreshAfter
                return (next, true);
            }
        }

        throw new ProblemException(ProblemType.Conflict, "The key ring kept changing under this request; nothing was changed. Retry.");
    }

    public void Dispose() => _gate.Dispose();

    private sealed record Cached(KeyRing Ring, DateTimeOffset LoadedAt);

    private async Task<(KeyRing Ring, string Version)> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        var stored = await store.LoadAsync(cancellationToken);
        if (stored is not null)
        {
            return (KeyRingDocument.Read(stored.Document), stored.Version);
        }

        await store.TryCreateAsync(KeyRingDocument.Write(KeyRing.CreateNew(time.GetUtcNow())), cancellationToken);
        stored = await store.LoadAsync(cancellationToken) ?? throw new InvalidOperationException("The key ring vanished while being created.");
        return (KeyRingDocument.Read(stored.Document), stored.Version);
    }
}

/// <summary>The stored form of a key ring. It holds private keys: it belongs only in a secret store.</summary>
public static class KeyRingDocument
{
    private sealed record Document(string SigningKeyId, IReadOnlyList<StoredKey> Keys);

    /// <summary>A key: Seed is the private key (Ed25519 seed or SM2 scalar); Algorithm is absent in rings stored before SM2 keys existed.</summary>
    private sealed record StoredKey(string Kid, string Seed, KeyState State, DateTimeOffset CreatedAt, KeyAlgorithm Algorithm = KeyAlgorithm.Ed25519)
    {
        public DateTimeOffset? ActivatedAt { get; init; }

        public DateTimeOffset? RetiredAt { get; init; }

        public DateTimeOffset? CompromisedAt { get; init; }
    }

    public static byte[] Write(KeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        return ElicenceJson.SerializeToUtf8(new Document(
            ring.Signing.KeyId,
            ring.Keys.Select(k => new StoredKey(k.KeyId, B64Url.Encode(k.Seed), k.State, k.CreatedAt, k.Algorithm)
            {
                ActivatedAt = k.ActivatedAt,
                RetiredAt = k.RetiredAt,
                CompromisedAt = k.CompromisedAt,
            }).ToList()));
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

            return key.KeyId == k.Kid
                ? key with { ActivatedAt = k.ActivatedAt, RetiredAt = k.RetiredAt, CompromisedAt = k.CompromisedAt }
                : throw new InvalidDataException($"Key {k.Kid} does not match its thumbprint.");
        }).ToList();
        return new KeyRing(keys, doc.SigningKeyId);
    }
}
