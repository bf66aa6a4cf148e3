using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace ELicence.Jose;

/// <summary>Compact JWS (RFC 7515 §7.1): signing with any algorithm through a signature function, and strict parsing.</summary>
public static class CompactJws
{
    /// <summary>Tokens longer than this are refused before any parsing.</summary>
    public const int MaxLength = 32 * 1024;

    /// <summary>Signs with an Ed25519 seed; <paramref name="keyId"/> is left out of the header when null (a holder's key-binding JWT).</summary>
    public static string Sign(byte[] seed, string? keyId, string type, ReadOnlySpan<byte> payload) =>
        Sign(Ed25519.Algorithm, keyId, type, payload, input => Ed25519.Sign(seed, input));

    /// <summary>
    /// Signs with any algorithm: <paramref name="sign"/> gets the signing input; <paramref name="x5c"/>, when given, is the
    /// signer's certificate chain for the header (RFC 7515 §4.1.6). Writes the signing input once, as the ASCII bytes that
    /// are signed, and the token from it: no intermediate strings.
    /// </summary>
    public static string Sign(string alg, string? keyId, string type, ReadOnlySpan<byte> payload, SignatureFunc sign, IReadOnlyList<string>? x5c = null)
    {
        var header = EncodedHeader(alg, keyId, type, x5c);
        var length = header.Length + 1 + Base64Url.GetEncodedLength(payload.Length);
        var signingInput = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            header.CopyTo(signingInput, 0);
            signingInput[header.Length] = (byte)'.';
            Base64Url.EncodeToUtf8(payload, signingInput.AsSpan(header.Length + 1));
            var signature = sign(signingInput.AsSpan(0, length));
            return string.Create(length + 1 + Base64Url.GetEncodedLength(signature.Length), (signingInput, length, signature), static (token, parts) =>
            {
                Encoding.ASCII.GetChars(parts.signingInput.AsSpan(0, parts.length), token);
                token[parts.length] = '.';
                Base64Url.EncodeToChars(parts.signature, token[(parts.length + 1)..]);
            });
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signingInput);
        }
    }

    /// <summary>The base64url of the header: the same few for all the service signs (its keys, its types), so kept once made.</summary>
    private static byte[] EncodedHeader(string alg, string? keyId, string type, IReadOnlyList<string>? x5c)
    {
        var chain = x5c is null ? null : string.Join(',', x5c);
        if (Headers.TryGetValue((alg, keyId, type, chain), out var encoded))
        {
            return encoded;
        }

        var header = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(header, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", alg);
            if (keyId is not null)
            {
                writer.WriteString("kid", keyId);
            }

            writer.WriteString("typ", type);
            if (x5c is not null)
            {
                writer.WriteStartArray("x5c");
                foreach (var certificate in x5c)
                {
                    writer.WriteStringValue(certificate);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        encoded = new byte[Base64Url.GetEncodedLength(header.WrittenCount)];
        Base64Url.EncodeToUtf8(header.WrittenSpan, encoded);
        if (Headers.Count >= 256)
        {
            Headers.Clear(); // keys rotate rarely; this only bounds a process that signs with many (tests)
        }

        Headers[(alg, keyId, type, chain)] = encoded;
        return encoded;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Alg, string? KeyId, string Type, string? X5c), byte[]> Headers = new();

    public delegate byte[] SignatureFunc(ReadOnlySpan<byte> input);

    /// <summary>Parses the structure and header; the signature is not checked here.</summary>
    public static bool TryParse(string? compact, [NotNullWhen(true)] out ParsedJws? jws, out string error) => TryParse(compact, MaxLength, out jws, out error);

    /// <summary><see cref="TryParse(string?, out ParsedJws?, out string)"/> with another length limit (a 500-item batch receipt is larger than a credential).</summary>
    public static bool TryParse(string? compact, int maxLength, [NotNullWhen(true)] out ParsedJws? jws, out string error) =>
        TryParse(compact, maxLength, allowCertificateChain: false, out jws, out error);

    /// <summary>
    /// <see cref="TryParse(string?, out ParsedJws?, out string)"/> that also admits an <c>x5c</c> header, as the service's own
    /// ES256 SD-JWT VCs carry it. The chain is never used to find the key: the <c>kid</c> still names a key of the JWKS.
    /// </summary>
    public static bool TryParse(string? compact, int maxLength, bool allowCertificateChain, [NotNullWhen(true)] out ParsedJws? jws, out string error)
    {
        jws = null;
        if (string.IsNullOrEmpty(compact) || compact.Length > maxLength)
        {
            error = "The token is empty or too long.";
            return false;
        }

        // Spans over the token, not Split: a credential is parsed on every verification and its parts are kilobytes.
        var first = compact.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : compact.IndexOf('.', first + 1);
        if (second < 0 || compact.IndexOf('.', second + 1) >= 0)
        {
            error = "A compact JWS has three dot-separated parts.";
            return false;
        }

        var token = compact.AsSpan();
        if (!B64Url.TryDecode(token[..first], out var headerBytes) || !B64Url.TryDecode(token[(first + 1)..second], out var payload) || !B64Url.TryDecode(token[(second + 1)..], out var signature))
        {
            error = "A part of the token is not base64url.";
            return false;
        }

        if (!TryReadHeader(headerBytes, allowCertificateChain, out var alg, out var kid, out var typ, out error))
        {
            return false;
        }

        if (alg is null)
        {
            error = "The JWS header has no alg.";
            return false;
        }

        jws = new ParsedJws(alg, kid, typ, payload, signature, compact, second); // the signing input is base64url and '.': ASCII, checked above
        error = string.Empty;
        return true;
    }

    /// <summary>
    /// Header parameters this service never writes and refuses to honour: <c>crit</c> (extensions it does not understand),
    /// <c>b64</c> (RFC 7797 unencoded payloads change what is signed), key-bearing parameters (<c>jwk</c>, <c>jku</c>,
    /// <c>x5u</c>, <c>x5c</c>, <c>x5t</c>, <c>x5t#S256</c>: keys come only from the service's own JWKS, and nothing named in a token
    /// is ever fetched) and the JWE ones (<c>enc</c>, <c>zip</c>).
    /// </summary>
    public static IReadOnlyList<string> RefusedHeaderParameters { get; } = ["crit", "b64", "jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256", "enc", "zip"];

    /// <summary>Reads alg, kid and typ from a header that must be one JSON object, each member at most once.</summary>
    private static bool TryReadHeader(byte[] headerBytes, bool allowCertificateChain, out string? alg, out string? kid, out string? typ, out string error)
    {
        alg = kid = typ = null;
        if (!System.Text.Unicode.Utf8.IsValid(headerBytes))
        {
            error = "The JWS header is not UTF-8.";
            return false; // JsonDocument would accept it and fail later, reading a member name
        }

        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            if (header.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "The JWS header is not a JSON object.";
                return false;
            }

            // JsonDocument keeps every duplicate; which one a JOSE library uses varies, so a duplicate is refused (RFC 7515 §4).
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in header.RootElement.EnumerateObject())
            {
                if (!seen.Add(member.Name))
                {
                    error = $"The JWS header names '{Shown(member.Name)}' more than once.";
                    return false;
                }

                if (RefusedHeaderParameters.Contains(member.Name, StringComparer.Ordinal) && !(allowCertificateChain && member.Name == "x5c"))
                {
                    error = member.Name == "crit"
                        ? "The token has critical header parameters this service does not understand."
                        : $"The JWS header carries '{member.Name}', which this service does not accept (its keys are only those of /.well-known/jwks.json).";
                    return false;
                }

                if (member.Name is "alg" or "kid" or "typ")
                {
                    if (member.Value.ValueKind != JsonValueKind.String)
                    {
                        error = $"The JWS header's '{member.Name}' is not a string.";
                        return false;
                    }

                    switch (member.Name)
                    {
                        case "alg": alg = member.Value.GetString(); break;
                        case "kid": kid = member.Value.GetString(); break;
                        default: typ = member.Value.GetString(); break;
                    }
                }
            }
        }
        catch (JsonException)
        {
            error = "The JWS header is not JSON.";
            return false;
        }
        catch (InvalidOperationException)
        {
            error = "The JWS header has a string that is not valid Unicode (an unpaired surrogate escape)."; // JsonDocument only finds out when the string is read
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static string Shown(string name) => name.Length > 40 ? name[..40] + "…" : name;
}
