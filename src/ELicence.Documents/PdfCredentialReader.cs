using System.Text;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Advanced;
using PdfSharp.Pdf.IO;

namespace ELicence.Documents;

/// <summary>Why a file someone uploaded gave no credential.</summary>
public enum PdfReadFailure
{
    NotAPdf,
    Unreadable,
    NoCredential,
}

/// <summary>The credential embedded in an uploaded PDF, or why there is none.</summary>
public sealed record PdfCredential(string? Credential, PdfReadFailure? Failure);

/// <summary>
/// Finds the embedded file <see cref="LicencePdf.CredentialFileName"/> in a PDF a person uploaded. The PDF is untrusted:
/// its size is bounded by the caller, the name tree is walked to a bounded depth, and any parser failure is an answer.
/// </summary>
public static class PdfCredentialReader
{
    /// <summary>A compact JWS of a licence is a few kilobytes; anything far larger is not ours.</summary>
    private const int MaxCredentialBytes = 64 * 1024;
    private const int MaxDepth = 8;

    public static PdfCredential Read(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        // Readers accept the header anywhere in the first kilobyte; so does this.
        if (file.AsSpan(0, Math.Min(file.Length, 1024)).IndexOf("%PDF-"u8) < 0)
        {
            return new PdfCredential(null, PdfReadFailure.NotAPdf);
        }

        try
        {
            using var document = PdfReader.Open(new MemoryStream(file, writable: false), PdfDocumentOpenMode.Import);
            var names = document.Internals.Catalog.Elements.GetDictionary("/Names");
            var tree = names?.Elements.GetDictionary("/EmbeddedFiles");
            var found = tree is null ? null : Find(tree, 0);
            return found is null ? new PdfCredential(null, PdfReadFailure.NoCredential) : new PdfCredential(found, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new PdfCredential(null, PdfReadFailure.Unreadable);
        }
    }

    private static string? Find(PdfDictionary node, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        if (node.Elements.GetArray("/Names") is { } pairs)
        {
            for (var i = 0; i + 1 < pairs.Elements.Count; i += 2)
            {
                if (Resolve(pairs.Elements[i]) is PdfString name && name.Value == LicencePdf.CredentialFileName
                    && Resolve(pairs.Elements[i + 1]) is PdfDictionary spec
                    && spec.Elements.GetDictionary("/EF")?.Elements.GetDictionary("/F") is { Stream: { } stream })
                {
                    var bytes = stream.UnfilteredValue;
                    return bytes.Length is > 0 and <= MaxCredentialBytes ? Encoding.Latin1.GetString(bytes) : null;
                }
            }
        }

        if (node.Elements.GetArray("/Kids") is { } kids)
        {
            foreach (var kid in kids.Elements)
            {
                if (Resolve(kid) is PdfDictionary child && Find(child, depth + 1) is { } credential)
                {
                    return credential;
                }
            }
        }

        return null;
    }

    private static PdfItem? Resolve(PdfItem? item) => item is PdfReference reference ? reference.Value : item;
}
