using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;

namespace ELicence.Core.Callers;

/// <summary>Section <c>Callers</c>: how long an API key record, once read, authenticates from memory.</summary>
public sealed class CallerCacheOptions
{
    public const string Section = "Callers";

    /// <summary>
    /// Seconds a key record is served from memory (0 disables the cache). A key revoked through this instance is refused
    /// at once; one revoked through another instance (or in the table directly) is refused here within this bound.
    /// </summary>
    [Range(0, 300)]
    public int CacheSeconds { get; set; } = 30;

    /// <summary>
    /// Seconds a key id the store does not hold is answered "unknown" from memory (0 disables it), so repeated guesses of one
    /// id cost one lookup. A key created through this instance is known here at once; one created through another instance
    /// authenticates here within this bound.
    /// </summary>
    [Range(0, 300)]
    public int UnknownKeySeconds { get; set; } = 10;
}

/// <summary>
/// Keeps API key records read from the store for <see cref="CallerCacheOptions.CacheSeconds"/>, so a caller seen recently
/// costs no storage round trip. The entry is the stored record, keyed by the (public) key id: the secret is never kept, and
/// its hash is still compared on every request by <see cref="ApiKeyService"/>, so a wrong secret never rides the cache and
/// guesses cannot fill it (only records the store holds are kept there). Unknown key ids are remembered apart, for
/// <see cref="CallerCacheOptions.UnknownKeySeconds"/>, in a bounded set of their own; creating a key through this store
/// forgets its id there at once. Revoking through this store evicts the key at once.
/// </summary>
public sealed class CachedApiKeyStore(IApiKeyStore inner, CallerCacheOptions options, TimeProvider time) : IApiKeyStore
{
    /// <summary>More keys than any deployment has; past it the cache starts over rather than grow.</summary>
    internal const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (ApiKeyRecord Record, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unknown = new(StringComparer.Ordinal);

    public async Task<ApiKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(keyId, out var entry) && now < entry.Until)
        {
            return entry.Record;
        }

        if (_unknown.TryGetValue(keyId, out var unknownUntil) && now < unknownUntil)
        {
            return null;
        }

        var record = await inner.FindAsync(keyId, cancellationToken);
        if (record is null)
        {
            _entries.TryRemove(keyId, out _);
            RememberUnknown(keyId, now);
            return record;
        }

        _unknown.TryRemove(keyId, out _);
        if (options.CacheSeconds == 0)
        {
            _entries.TryRemove(keyId, out _);
            return record;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[keyId] = (record, now.AddSeconds(options.CacheSeconds));
        return record;
    }

    public async Task AddAsync(ApiKeyRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await inner.AddAsync(record, cancellationToken);
        _unknown.TryRemove(record.KeyId, out _); // a request that looked the id up while the key was being added must not hide it
    }

    private void RememberUnknown(string keyId, DateTimeOffset now)
    {
        if (options.UnknownKeySeconds == 0)
        {
            return;
        }

        if (_unknown.Count >= MaxEntries)
        {
            _unknown.Clear();
        }

        _unknown[keyId] = now.AddSeconds(options.UnknownKeySeconds);
    }

    public async Task RevokeAsync(string keyId, CancellationToken cancellationToken)
    {
        _entries.TryRemove(keyId, out _);
        await inner.RevokeAsync(keyId, cancellationToken);
        _entries.TryRemove(keyId, out _); // a request that read the key while the revocation was in flight must not keep it
    }
}
