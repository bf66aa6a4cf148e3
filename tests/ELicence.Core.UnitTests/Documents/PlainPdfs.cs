using System.Globalization;
using System.IO.Compression;

namespace ELicence.Core.UnitTests.Documents;

/// <summary>PDFs that are not licence PDFs, made by another library (PdfPig's builder) or by hand; shared with the integration tests.</summary>
internal static class PlainPdfs
{
    /// <summary>A valid one-page PDF with no attachments.</summary>
    public static byte[] WithoutCredential()
    {
        var builder = new UglyToad.PdfPig.Writer.PdfDocumentBuilder();
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        var font = builder.AddStandard14Font(UglyToad.PdfPig.Fonts.Standard14Fonts.Standard14Font.Helvetica);
        page.AddText("Not a licence", 12, new UglyToad.PdfPig.Core.PdfPoint(50, 700), font);
        return builder.Build();
    }

    /// <summary>
    /// A decompression bomb: a one-page PDF (classic cross-reference table) whose embedded <c>licence.vc.jwt</c> is a
    /// FlateDecode stream of <paramref name="inflatedBytes"/> zero bytes (128 MiB compress to about 128 KiB).
    /// </summary>
    public static byte[] WithEmbeddedFileInflatingTo(int inflatedBytes) => Classic(
        "<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(licence.vc.jwt) 4 0 R] >> >> >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        "<< /Type /Filespec /F (licence.vc.jwt) /EF << /F 5 0 R >> >>",
        Stream("/Type /EmbeddedFile", Zeros(inflatedBytes)));

    /// <summary>A one-page PDF (classic table) whose page content is a FlateDecode stream of <paramref name="inflatedBytes"/> zero bytes.</summary>
    public static byte[] WithPageContentInflatingTo(int inflatedBytes) => Classic(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        Stream("", Zeros(inflatedBytes)));

    /// <summary>
    /// A PDF 1.5 file: its catalog, page tree and page sit in a compressed object stream, indexed by a compressed
    /// cross-reference stream; the object stream is padded to inflate to at least <paramref name="inflatedBytes"/>.
    /// </summary>
    public static byte[] WithObjectStreamInflatingTo(int inflatedBytes)
    {
        string[] objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"];
        var offsets = new List<int>();
        var body = new StringBuilder();
        foreach (var o in objects)
        {
            offsets.Add(body.Length);
            body.Append(o).Append('\n');
        }

        var header = string.Join(' ', offsets.Select((o, i) => string.Create(CultureInfo.InvariantCulture, $"{i + 1} {o}"))) + "\n";
        var content = Encoding.ASCII.GetBytes(header + body);
        var padded = new byte[Math.Max(content.Length, inflatedBytes)];
        content.CopyTo(padded, 0);
        Array.Fill(padded, (byte)' ', content.Length, padded.Length - content.Length);

        var pdf = new MemoryStream();
        Write(pdf, "%PDF-1.7\n");
        var objectStreamAt = (int)pdf.Length;
        Write(pdf, "4 0 obj\n");
        pdf.Write(Stream(string.Create(CultureInfo.InvariantCulture, $"/Type /ObjStm /N 3 /First {header.Length}"), Compress(padded)));
        Write(pdf, "\nendobj\n");
        var xrefAt = (int)pdf.Length;
        var entries = new MemoryStream();
        void Entry(byte type, int field2, ushort field3)
        {
            entries.WriteByte(type);
            entries.Write([(byte)(field2 >> 24), (byte)(field2 >> 16), (byte)(field2 >> 8), (byte)field2]);
            entries.Write([(byte)(field3 >> 8), (byte)field3]);
        }

        Entry(0, 0, 0xFFFF);
        Entry(2, 4, 0);
        Entry(2, 4, 1);
        Entry(2, 4, 2);
        Entry(1, objectStreamAt, 0);
        Entry(1, xrefAt, 0);
        Write(pdf, "5 0 obj\n");
        pdf.Write(Stream("/Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R", Compress(entries.ToArray())));
        Write(pdf, string.Create(CultureInfo.InvariantCulture, $"\nendobj\nstartxref\n{xrefAt}\n%%EOF\n"));
        return pdf.ToArray();
    }

    /// <summary>A stream object's dictionary and data, FlateDecode-compressed.</summary>
    private static byte[] Stream(string entries, byte[] zlib)
    {
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"<< {entries} /Filter /FlateDecode /Length {zlib.Length} >>\nstream\n"));
        return [.. head, .. zlib, .. "\nendstream"u8];
    }

    private static byte[] Zeros(int count)
    {
        var zlib = new MemoryStream();
        using (var deflate = new ZLibStream(zlib, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = new byte[1024 * 1024];
            for (var left = count; left > 0; left -= chunk.Length)
            {
                deflate.Write(chunk, 0, Math.Min(left, chunk.Length));
            }
        }

        return zlib.ToArray();
    }

    private static byte[] Compress(byte[] data)
    {
        var zlib = new MemoryStream();
        using (var deflate = new ZLibStream(zlib, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(data);
        }

        return zlib.ToArray();
    }

    /// <summary>A PDF with a classic cross-reference table over <paramref name="objects"/> (numbered from 1; text or stream bytes).</summary>
    private static byte[] Classic(params object[] objects)
    {
        var pdf = new MemoryStream();
        Write(pdf, "%PDF-1.7\n");
        var offsets = new List<long>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            Write(pdf, string.Create(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n"));
            if (objects[i] is byte[] bytes)
            {
                pdf.Write(bytes);
            }
            else
            {
                Write(pdf, (string)objects[i]);
            }

            Write(pdf, "\nendobj\n");
        }

        var xrefAt = pdf.Length;
        var xref = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n"));
        foreach (var offset in offsets)
        {
            xref.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        xref.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xrefAt}\n%%EOF\n");
        Write(pdf, xref.ToString());
        return pdf.ToArray();
    }

    private static void Write(MemoryStream pdf, string text) => pdf.Write(Encoding.ASCII.GetBytes(text));
}
