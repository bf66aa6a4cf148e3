using System.Text;
using ELicence.Core.Compression;
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

    /// <summary>The PDF uses compressed cross-reference streams, which no licence PDF of this register does (and which would be inflated unbounded).</summary>
    Unsupported,

    /// <summary>The embedded file inflates to more than any credential is: read no further than that.</summary>
    Oversized,
}

/// <summary>The credential embedded in an uploaded PDF, or why there is none.</summary>
public sealed record PdfCredential(string? Credential, PdfReadFailure? Failure);

/// <summary>
/// Finds the embedded file <see cref="LicencePdf.CredentialFileName"/> in a PDF a person uploaded. The PDF is untrusted:
/// its size is bounded by the caller, the name tree is walked to a bounded depth, and any parser failure is an answer.
/// Nothing in it is inflated unbounded: a file with cross-reference streams is refused before it is parsed (see
/// <see cref="PdfCrossReferences"/>), and the embedded file is inflated here, stopping past <see cref="MaxCredentialBytes"/>.
/// </summary>
public static class PdfCredentialReader
{
    /// <summary>A compact JWS of a licence is a few kilobytes; anything far larger is not ours.</summary>
    public const int MaxCredentialBytes = 64 * 1024;

    /// <summary>The <c>source</c> of this reader's measurements in <see cref="BoundedInflate.InflatedBytes"/>.</summary>
    public const string InflateSource = "pdf-upload";
    private const int MaxDepth = 8;

    public static PdfCredential Read(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        // Readers accept the header anywhere in the first kilobyte; so does this.
        if (file.AsSpan(0, Math.Min(file.Length, 1024)).IndexOf("%PDF-"u8) < 0)
        {
            return new PdfCredential(null, PdfReadFailure.NotAPdf);
        }

        if (!PdfCrossReferences.AreTablesOnly(file))
        {
            return new PdfCredential(null, PdfReadFailure.Unsupported);
        }

        try
        {
            using var document = PdfReader.Open(new MemoryStream(file, writable: false), PdfDocumentOpenMode.Import);
            var names = document.Internals.Catalog.Elements.GetDictionary("/Names");
            var tree = names?.Elements.GetDictionary("/EmbeddedFiles");
            return (tree is null ? null : Find(tree, 0)) ?? new PdfCredential(null, PdfReadFailure.NoCredential);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new PdfCredential(null, PdfReadFailure.Unreadable);
        }
    }

    private static PdfCredential? Find(PdfDictionary node, int depth)
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
                    && spec.Elements.GetDictionary("/EF")?.Elements.GetDictionary("/F") is { Stream: { } stream } embedded)
                {
                    return Content(embedded, stream);
                }
            }
        }

        if (node.Elements.GetArray("/Kids") is { } kids)
        {
            foreach (var kid in kids.Elements)
            {
                if (Resolve(kid) is PdfDictionary child && Find(child, depth + 1) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The embedded file's bytes, unfiltered here rather than by the parser (which would inflate all of it): stored as is, or
    /// with the one filter licence PDFs use, FlateDecode, without parameters. Any other encoding is not a licence PDF's.
    /// </summary>
    private static PdfCredential? Content(PdfDictionary file, PdfDictionary.PdfStream stream)
    {
        var filter = Resolve(file.Elements["/Filter"]) switch
        {
            null => "",
            PdfName name => name.Value,
            PdfArray { Elements.Count: 1 } array when Resolve(array.Elements[0]) is PdfName only => only.Value,
            _ => "?",
        };
        if (file.Elements["/DecodeParms"] is not null || filter is not ("" or "/FlateDecode" or "/Fl"))
        {
            return null;
        }

        var raw = stream.Value;
        var bytes = filter.Length == 0
            ? (raw.Length <= MaxCredentialBytes ? raw : null)
            : BoundedInflate.Read(raw, InflateFormat.Zlib, MaxCredentialBytes, InflateSource);
        return bytes switch
        {
            null => new PdfCredential(null, PdfReadFailure.Oversized),
            { Length: 0 } => null,
            _ => new PdfCredential(Encoding.Latin1.GetString(bytes), null),
        };
    }

    private static PdfItem? Resolve(PdfItem? item) => item is PdfReference reference ? reference.Value : item;
}
