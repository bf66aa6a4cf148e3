using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ELicence.Jose;

namespace ELicence.Tlog;

/// <summary>C2SP signed-note (c2sp.org/signed-note): text, a blank line, then "— name base64(keyID ‖ sig)" lines.</summary>
public static class SignedNote
{
    public const byte Ed25519Type = 0x01;

    /// <summary>At least 16 signatures must be accepted (spec); more than this is refused as abuse.</summary>
    public const int MaxSignatures = 32;

    public const int MaxNoteBytes = 64 * 1024;

    private const string SignaturePrefix = "\u2014 ";

    /// <summary>key ID = SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key)[:4], big-endian.</summary>
    public static uint KeyId(string name, byte type, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    public static bool IsValidKeyName(string name) =>
        !string.IsNullOrEmpty(name) && !name.Any(c => c == '+' || char.IsWhiteSpace(c) || char.IsControl(c));

    /// <summary>Splits a note into its text and signature lines; false when it is not a well-formed note.</summary>
    public static bool TryParse(string note, out string text, out IReadOnlyList<NoteSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(note);
        text = "";
        signatures = [];
        if (Encoding.UTF8.GetByteCount(note) > MaxNoteBytes || !note.EndsWith('\n') || note.Any(c => c < 0x20 && c != '\n'))
        {
            return false;
        }

        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || split + 2 >= note.Length)
        {
            return false;
        }

        text = note[..(split + 1)];
        var lines = note[(split + 2)..^1].Split('\n');
        if (lines.Length > MaxSignatures)
        {
            return false;
        }

        var parsed = new List<NoteSignature>(lines.Length);
        foreach (var line in lines)
        {
            if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
            {
                return false;
            }

            var parts = line[SignaturePrefix.Length..].Split(' ');
            if (parts.Length != 2 || !IsValidKeyName(parts[0]) || !TryBase64(parts[1], out var blob) || blob.Length < 5)
            {
                return false;
            }

            parsed.Add(new NoteSignature(parts[0], BinaryPrimitives.ReadUInt32BigEndian(blob), blob[4..]));
        }

        signatures = parsed;
        return true;
    }

    public static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = [];
        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return false;
        }

        return Convert.ToBase64String(bytes) == text; // canonical only: one text per byte string
    }

    internal static string Hex(uint keyId) => keyId.ToString("x8", CultureInfo.InvariantCulture);
}

/// <summary>One signature line of a note.</summary>
public sealed record NoteSignature(string KeyName, uint KeyId, byte[] Signature);

/// <summary>Signs notes with an Ed25519 note key. The note key is the log's own, never a credential-signing key.</summary>
public sealed class NoteSigner
{
    private readonly byte[] seed;

    public NoteSigner(string name, byte[] seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        if (!SignedNote.IsValidKeyName(name))
        {
            throw new ArgumentException("A note key name is non-empty, with no spaces and no '+'.", nameof(name));
        }

        if (seed.Length != Ed25519.SeedLength)
        {
            throw new ArgumentException("An Ed25519 seed is 32 bytes.", nameof(seed));
        }

        Name = name;
        this.seed = seed.ToArray();
        PublicKey = Ed25519.PublicKeyFromSeed(seed);
        KeyId = SignedNote.KeyId(name, SignedNote.Ed25519Type, PublicKey);
    }

    public string Name { get; }

    public byte[] PublicKey { get; }

    public uint KeyId { get; }

    /// <summary>The verifier key: name+hex(key ID)+base64(0x01 ‖ public key).</summary>
    public string VerifierKey =>
        $"{Name}+{SignedNote.Hex(KeyId)}+{Convert.ToBase64String([SignedNote.Ed25519Type, .. PublicKey])}";

    /// <summary>
    /// The signer key in the text form of golang.org/x/mod/sumdb/note (PRIVATE+KEY+name+hex(key ID)+base64(0x01 ‖ seed)), so
    /// the stored secret is the standard one any note tool reads. Secret: only for a secret store.
    /// </summary>
    public string PrivateKey =>
        $"{PrivateKeyPrefix}{Name}+{SignedNote.Hex(KeyId)}+{Convert.ToBase64String([SignedNote.Ed25519Type, .. seed])}";

    private const string PrivateKeyPrefix = "PRIVATE+KEY+";

    /// <summary>Parses <see cref="PrivateKey"/>'s form; false unless it is an Ed25519 key whose key ID matches its name and key.</summary>
    public static bool TryParsePrivateKey(string privateKey, out NoteSigner? signer)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        signer = null;
        if (!privateKey.StartsWith(PrivateKeyPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = privateKey[PrivateKeyPrefix.Length..].Split('+', 3);
        if (parts.Length != 3 || !SignedNote.IsValidKeyName(parts[0])
            || !SignedNote.TryBase64(parts[2], out var key) || key.Length != 1 + Ed25519.SeedLength || key[0] != SignedNote.Ed25519Type)
        {
            return false;
        }

        var candidate = new NoteSigner(parts[0], key[1..]);
        if (SignedNote.Hex(candidate.KeyId) != parts[1])
        {
            return false;
        }

        signer = candidate;
        return true;
    }

    /// <summary>The verifier for this key, as a client holding <see cref="VerifierKey"/> builds it.</summary>
    public NoteVerifier Verifier =>
        NoteVerifier.TryParse(VerifierKey, out var verifier) ? verifier! : throw new InvalidOperationException("Own verifier key does not parse.");

    /// <summary>The signed note for <paramref name="text"/>, which must end in a newline.</summary>
    public string Sign(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n') || text.Any(c => c < 0x20 && c != '\n'))
        {
            throw new ArgumentException("Note text ends in a newline and has no other control characters.", nameof(text));
        }

        var blob = new byte[4 + Ed25519.SignatureLength];
        BinaryPrimitives.WriteUInt32BigEndian(blob, KeyId);
        Ed25519.Sign(seed, Encoding.UTF8.GetBytes(text)).CopyTo(blob, 4);
        return $"{text}\n\u2014 {Name} {Convert.ToBase64String(blob)}\n";
    }
}

/// <summary>Verifies notes against one Ed25519 verifier key.</summary>
public sealed class NoteVerifier
{
    private NoteVerifier(string name, uint keyId, byte[] publicKey)
    {
        Name = name;
        KeyId = keyId;
        PublicKey = publicKey;
    }

    public string Name { get; }

    public uint KeyId { get; }

    public byte[] PublicKey { get; }

    /// <summary>Parses "name+hash+base64"; false unless it is an Ed25519 vkey whose key ID matches its name and key.</summary>
    public static bool TryParse(string verifierKey, out NoteVerifier? verifier)
    {
        ArgumentNullException.ThrowIfNull(verifierKey);
        verifier = null;
        // The name has no '+', the ID is 8 hex digits; base64 may itself contain '+', so split twice only.
        var parts = verifierKey.Split('+', 3);
        if (parts.Length != 3 || !SignedNote.IsValidKeyName(parts[0]) || parts[1].Length != 8
            || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var keyId)
            || SignedNote.Hex(keyId) != parts[1]
            || !SignedNote.TryBase64(parts[2], out var key) || key.Length != 1 + Ed25519.PublicKeyLength || key[0] != SignedNote.Ed25519Type)
        {
            return false;
        }

        var publicKey = key[1..];
        if (SignedNote.KeyId(parts[0], SignedNote.Ed25519Type, publicKey) != keyId)
        {
            return false;
        }

        verifier = new NoteVerifier(parts[0], keyId, publicKey);
        return true;
    }

    /// <summary>
    /// The note's text when a signature by this key verifies. Per the spec, signatures by other keys are ignored, and a
    /// signature that names this key (name and ID) but does not verify rejects the whole note.
    /// </summary>
    public bool TryOpen(string note, out string text)
    {
        if (!SignedNote.TryParse(note, out text, out var signatures))
        {
            return false;
        }

        var message = Encoding.UTF8.GetBytes(text);
        var verified = false;
        foreach (var signature in signatures.Where(s => s.KeyName == Name && s.KeyId == KeyId))
        {
            if (!Ed25519.Verify(PublicKey, message, signature.Signature))
            {
                text = "";
                return false;
            }

            verified = true;
        }

        if (!verified)
        {
            text = "";
        }

        return verified;
    }
}
