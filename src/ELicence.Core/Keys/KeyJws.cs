using System.Buffers;
using System.Text.Json;
using ELicence.Jose;

namespace ELicence.Core.Keys;

/// <summary>JWS made with the service's own signing keys: the JOSE library's signing with a key of the ring and the service's JSON options.</summary>
public static class KeyJws
{
    /// <summary>A compact JWS signed with <paramref name="key"/>, its kid in the header.</summary>
    public static string Sign(SigningKey key, string type, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(key);
        return CompactJws.Sign(key.JwsAlgorithm, key.KeyId, type, payload, key.Sign);
    }

    /// <summary>Signs with the key's certificate chain in the <c>x5c</c> header (RFC 7515 §4.1.6), as HAIP asks of SD-JWT VCs and status lists.</summary>
    public static string Sign(SigningKey key, string type, ReadOnlySpan<byte> payload, IReadOnlyList<string>? x5c)
    {
        ArgumentNullException.ThrowIfNull(key);
        return CompactJws.Sign(key.JwsAlgorithm, key.KeyId, type, payload, key.Sign, x5c);
    }

    /// <summary>
    /// Signs <paramref name="payload"/> serialized with the service's JSON options (the bytes of
    /// <see cref="ElicenceJson.SerializeToUtf8{T}"/>), written to a per-thread scratch buffer instead of a new array: every
    /// verification signs a receipt.
    /// </summary>
    public static string SignJson<T>(SigningKey key, string type, T payload, IReadOnlyList<string>? x5c = null)
    {
        var scratch = t_scratch ?? new ArrayBufferWriter<byte>(4096);
        t_scratch = null; // a nested call (none today) gets its own
        try
        {
            using (var writer = new Utf8JsonWriter(scratch, new JsonWriterOptions { Encoder = ElicenceJson.Options.Encoder }))
            {
                JsonSerializer.Serialize(writer, payload, ElicenceJson.Options);
            }

            return Sign(key, type, scratch.WrittenSpan, x5c);
        }
        finally
        {
            if (scratch.Capacity <= 64 * 1024)
            {
                scratch.ResetWrittenCount();
                t_scratch = scratch; // a large batch receipt's buffer is left to the GC, not kept per thread
            }
        }
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    /// <summary>Adds <paramref name="key"/>'s signature over the payload of <paramref name="compact"/> as a general JWS JSON serialization.</summary>
    public static string WithSecondSignature(string compact, SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return JsonJws.WithSecondSignature(compact, key.JwsAlgorithm, key.KeyId, key.Sign);
    }
}
