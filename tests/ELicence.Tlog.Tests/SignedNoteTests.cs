using ELicence.Tlog;

namespace ELicence.Tlog.Tests;

/// <summary>C2SP signed-note and tlog-checkpoint; the example key and note are from c2sp.org/signed-note ("Example").</summary>
public class SignedNoteTests
{
    private const string SpecVerifierKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";

    private const string SpecNote = "This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

    [Fact]
    public void Spec_verifier_key_parses_and_its_key_id_is_the_hash_of_name_type_and_key()
    {
        Assert.True(NoteVerifier.TryParse(SpecVerifierKey, out var verifier));
        Assert.Equal(0x530d903au, verifier!.KeyId);
        Assert.Equal(0x530d903au, SignedNote.KeyId("example.com/foo", SignedNote.Ed25519Type, verifier.PublicKey));
    }

    [Fact]
    public void Spec_example_note_verifies_under_the_spec_verifier_key()
    {
        Assert.True(NoteVerifier.TryParse(SpecVerifierKey, out var verifier));

        Assert.True(verifier!.TryOpen(SpecNote, out var text));
        Assert.Equal("This is an example message.\n", text);
    }

    [Theory]
    [InlineData("This is an example message!\n\n")] // text changed
    [InlineData("This is an example message.\n\n\n")] // blank line moved into the signature block
    public void Spec_note_with_changed_text_does_not_verify(string head)
    {
        Assert.True(NoteVerifier.TryParse(SpecVerifierKey, out var verifier));
        var forged = head + SpecNote[SpecNote.IndexOf('\u2014', StringComparison.Ordinal)..];

        Assert.False(verifier!.TryOpen(forged, out var text));
        Assert.Equal("", text);
    }

    /// <summary>The signer key, verifier key and signed note of golang.org/x/mod/sumdb/note's documentation (Ed25519 is deterministic).</summary>
    [Fact]
    public void The_Go_note_package_s_example_signer_key_gives_its_verifier_key_and_its_exact_signature()
    {
        const string text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";

        Assert.True(NoteSigner.TryParsePrivateKey("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", out var signer));

        Assert.Equal("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", signer!.VerifierKey);
        Assert.Equal(text + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", signer.Sign(text));
        Assert.Equal("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", signer.PrivateKey);
    }

    [Theory]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")] // wrong key hash
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AoEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")] // unknown algorithm
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKD")]   // short key
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]              // a verifier key
    [InlineData("PRIVATE+KEY+Peter Neumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")] // space in the name
    public void Malformed_signer_keys_are_refused(string skey) => Assert.False(NoteSigner.TryParsePrivateKey(skey, out _));

    [Fact]
    public void Own_note_key_round_trips_and_its_vkey_has_the_spec_shape()
    {
        var signer = new NoteSigner("registry.example/log", Enumerable.Repeat((byte)7, 32).ToArray());
        var note = signer.Sign("hello\n");

        Assert.Matches("^registry\\.example/log\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}$", signer.VerifierKey);
        Assert.True(NoteVerifier.TryParse(signer.VerifierKey, out var verifier));
        Assert.True(verifier!.TryOpen(note, out var text));
        Assert.Equal("hello\n", text);
    }

    [Fact]
    public void Verifier_keys_whose_base64_contains_plus_parse_and_verify()
    {
        var signers = Enumerable.Range(0, 24).Select(i => new NoteSigner("registry.example/log", Enumerable.Repeat((byte)i, 32).ToArray())).ToList();
        Assert.Contains(signers, s => s.VerifierKey.Split('+').Length > 3); // the case a naive split gets wrong

        foreach (var signer in signers)
        {
            Assert.True(NoteVerifier.TryParse(signer.VerifierKey, out var verifier), signer.VerifierKey);
            Assert.True(verifier!.TryOpen(signer.Sign("x\n"), out _));
        }
    }

    [Fact]
    public void Unknown_signatures_are_ignored_but_a_bad_signature_by_the_known_key_rejects_the_note()
    {
        var ours = new NoteSigner("registry.example/log", Enumerable.Repeat((byte)7, 32).ToArray());
        var witness = new NoteSigner("witness.example", Enumerable.Repeat((byte)9, 32).ToArray());
        var verifier = ours.Verifier;
        var note = ours.Sign("hello\n");
        var cosigned = note + witness.Sign("hello\n")[("hello\n\n".Length)..];

        Assert.True(verifier.TryOpen(cosigned, out _));
        Assert.False(verifier.TryOpen(witness.Sign("hello\n"), out _)); // no signature by the known key
        var impostor = new NoteSigner("registry.example/log", Enumerable.Repeat((byte)8, 32).ToArray());
        var sameIdBadSignature = note + $"\u2014 registry.example/log {Convert.ToBase64String([.. BitConverter.GetBytes(ours.KeyId).Reverse(), .. new byte[64]])}\n";
        Assert.False(verifier.TryOpen(sameIdBadSignature, out _));
        Assert.False(verifier.TryOpen(impostor.Sign("hello\n"), out _));
    }

    [Theory]
    [InlineData("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k+x")]
    [InlineData("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")] // key ID does not match
    [InlineData("example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")] // not lowercase hex
    [InlineData("example.com/bar+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")] // other name
    [InlineData("example.com/foo+530d903a+AkyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")] // wrong length
    [InlineData("example.com/foo+530d903a+AskyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")] // type 0x02 byte
    [InlineData("+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")]
    [InlineData("")]
    public void Malformed_verifier_keys_are_refused(string vkey) => Assert.False(NoteVerifier.TryParse(vkey, out _));

    [Theory]
    [InlineData("no blank line\n\u2014 a AAAAAAA=\n")]
    [InlineData("text\n\n")] // no signature line at all
    [InlineData("\n\n")]
    [InlineData("text\n\n\u2014 example.com/foo Uw2Q\n")] // signature too short to hold a key ID
    [InlineData("text\n\n- example.com/foo Uw2QOkn8srV1\n")] // hyphen, not em dash
    [InlineData("text\n\n\u2014 example.com/foo Uw2QOkn8srV1")] // no final newline
    [InlineData("te\txt\n\n\u2014 example.com/foo Uw2QOkn8srV1\n")] // control character
    [InlineData("text\n\n\u2014 example.com/foo Uw2QOkn8srV1 extra\n")]
    public void Malformed_notes_are_refused(string note) => Assert.False(SignedNote.TryParse(note, out _, out _));

    [Fact]
    public void Spec_checkpoint_example_parses_and_our_text_round_trips()
    {
        // c2sp.org/tlog-checkpoint, the example at the top of the spec.
        Assert.True(Checkpoint.TryParse("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", out var checkpoint));
        Assert.Equal(("example.com/behind-the-sofa", 20852163L), (checkpoint!.Origin, checkpoint.Size));
        Assert.Equal("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", checkpoint.Text);
    }

    [Theory]
    [InlineData("o\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")] // leading zero
    [InlineData("o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n")] // 31 bytes
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")] // no final newline
    [InlineData("\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")] // empty origin
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n")] // empty extension line
    [InlineData("o\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    public void Malformed_checkpoints_are_refused(string text) => Assert.False(Checkpoint.TryParse(text, out _));
}
