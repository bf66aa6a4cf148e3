using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace ELicence.Jose;

/// <summary>A compact JWS (RFC 7515) signed with EdDSA/Ed25519 (RFC 8037), as <see cref="CompactJws.TryParse(string?, out ParsedJws?, out string)"/> read it.</summary>
public sealed class ParsedJws
{
    private readonly string _compact;
    private readonly int _signingInputLength;
    private byte[]? _signingInput;

    /// <param name="compact">The token; its first <paramref name="signingInputLength"/> characters (header '.' payload, ASCII) are the signing input.</param>
    internal ParsedJws(string algorithm, string? keyId, string? type, byte[] payload, byte[] signature, string compact, int signingInputLength)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        Type = type;
        Payload = payload;
        Signature = signature;
        _compact = compact;
        _signingInputLength = signingInputLength;
    }

    public string Algorithm { get; }

    public string? KeyId { get; }

    public string? Type { get; }

    public byte[] Payload { get; }

    public byte[] Signature { get; }

    /// <summary>The bytes the signature covers: the ASCII of header '.' payload, made on first use.</summary>
    public byte[] SigningInput => _signingInput ??= Encoding.ASCII.GetBytes(_compact, 0, _signingInputLength);

    /// <summary>
    /// Whether <see cref="Signature"/> is the Ed25519 signature of the signing input under <paramref name="publicKey"/>; the
    /// signing input is written to a pooled buffer, not kept (the verify path checks a credential of kilobytes per request).
    /// </summary>
    public bool VerifyEd25519(ReadOnlySpan<byte> publicKey)
    {
        if (_signingInput is not null)
        {
            return Ed25519.Verify(publicKey, _signingInput, Signature);
        }

        var input = ArrayPool<byte>.Shared.Rent(_signingInputLength);
        try
        {
            var length = Encoding.ASCII.GetBytes(_compact.AsSpan(0, _signingInputLength), input);
            return Ed25519.Verify(publicKey, input.AsSpan(0, length), Signature);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }
}
