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
public sealed class KeyRingProvider(IKeyRingStore store, TimeProvider time, IssuerOptions? issuer = null) : IKeyRingProvider, IKeyRingEditor, IDisposable
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

    /// <summary>
    /// The stored ring, made on first use. A ring stored before ES256 keys existed gets its authority and first ES256 key
    /// here, written under the version it was read at (another instance doing the same wins or loses the race cleanly).
    /// </summary>
    private async Task<(KeyRing Ring, string Version)> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await store.LoadAsync(cancellationToken);
            if (stored is null)
            {
                await store.TryCreateAsync(KeyRingDocument.Write(KeyRing.CreateNew(time.GetUtcNow(), NewPki())), cancellationToken);
                continue;
            }

            var ring = KeyRingDocument.Read(stored.Document);
            if (ring.WithEs256(time.GetUtcNow(), NewPki) is not { } upgraded)
            {
                return (ring, stored.Version);
            }

            await store.TryReplaceAsync(KeyRingDocument.Write(upgraded), stored.Version, cancellationToken);
        }

        throw new InvalidOperationException("The key ring could not be created or upgraded: it kept changing.");
    }

    private KeyRingPki NewPki() => issuer is null
        ? KeyRingPki.Create(time.GetUtcNow())
        : KeyRingPki.Create(time.GetUtcNow(), issuer.NameEn, issuer.Id);
}

/// <summary>The stored form of a key ring. It holds private keys: it belongs only in a secret store.</summary>
public static class KeyRingDocument
{
    private sealed record Document(string SigningKeyId, IReadOnlyList<StoredKey> Keys)
    {
        /// <summary>Absent in rings stored before ES256 keys existed.</summary>
        public StoredPki? Pki { get; init; }
    }

    /// <summary>A key: Seed is the private key (Ed25519 seed, SM2 or P-256 scalar); Algorithm is absent in rings stored before SM2 keys existed.</summary>
    private sealed record StoredKey(string Kid, string Seed, KeyState State, DateTimeOffset CreatedAt, KeyAlgorithm Algorithm = KeyAlgorithm.Ed25519)
    {
        public DateTimeOffset? ActivatedAt { get; init; }

        public DateTimeOffset? RetiredAt { get; init; }

        public DateTimeOffset? CompromisedAt { get; init; }

        /// <summary>An ES256 key's certificate, base64url of DER.</summary>
        public string? Certificate { get; init; }
    }

    /// <summary>The authority: both certificates and private scalars, base64url.</summary>
    private sealed record StoredPki(string Organisation, string Issuer, string RootCertificate, string RootKey, string IssuingCertificate, string IssuingKey);

    public static byte[] Write(KeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        var pki = ring.Pki is { } p
            ? new StoredPki(p.Organisation, p.Issuer, B64Url.Encode(p.Authority.Root.Certificate), B64Url.Encode(p.Authority.Root.PrivateKey), B64Url.Encode(p.Authority.Issuing.Certificate), B64Url.Encode(p.Authority.Issuing.PrivateKey))
            : null;
        return ElicenceJson.SerializeToUtf8(new Document(
            ring.Signing.KeyId,
            ring.Keys.Select(k => new StoredKey(k.KeyId, B64Url.Encode(k.Seed), k.State, k.CreatedAt, k.Algorithm)
            {
                ActivatedAt = k.ActivatedAt,
                RetiredAt = k.RetiredAt,
                CompromisedAt = k.CompromisedAt,
                Certificate = k.Certificate is { } c ? B64Url.Encode(c) : null,
            }).ToList())
        { Pki = pki });
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
                ? key with { ActivatedAt = k.ActivatedAt, RetiredAt = k.RetiredAt, CompromisedAt = k.CompromisedAt, Certificate = Bytes(k.Certificate, k.Kid) }
                : throw new InvalidDataException($"Key {k.Kid} does not match its thumbprint.");
        }).ToList();
        var pki = doc.Pki is { } p
            ? new KeyRingPki(new CertificateAuthority(new CaCertificate(Bytes(p.RootCertificate, "root")!, Bytes(p.RootKey, "root")!), new CaCertificate(Bytes(p.IssuingCertificate, "issuing")!, Bytes(p.IssuingKey, "issuing")!)), p.Organisation, p.Issuer)
            : null;
        return new KeyRing(keys, doc.SigningKeyId, pki);
    }

    private static byte[]? Bytes(string? encoded, string what) => encoded is null
        ? null
        : B64Url.TryDecode(encoded, out var bytes) ? bytes : throw new InvalidDataException($"The certificate material of {what} is not base64url.");
}
