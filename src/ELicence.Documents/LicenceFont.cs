using PdfSharp.Fonts;

namespace ELicence.Documents;

/// <summary>
/// The one font of the documents, Noto Sans SC (SIL Open Font License), for Chinese and Latin text alike. PDFsharp's font
/// resolver is process-wide, so it is installed once; every family name resolves to this face, so no document can depend
/// on a font the reader (or the server) happens to have.
/// </summary>
public static class LicenceFont
{
    public const string Family = "Noto Sans SC";

    /// <summary>The file inside the npm package <c>@expo-google-fonts/noto-sans-sc</c> and in <c>fonts/</c> of the publish output.</summary>
    public const string FileName = "NotoSansSC_400Regular.ttf";

    private static readonly Lock Gate = new();
    private static string? _installed;

    /// <summary>Installs the resolver with the font found from <paramref name="options"/>; later calls must find the same file.</summary>
    public static void EnsureInstalled(DocumentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (Gate)
        {
            if (_installed is not null)
            {
                return;
            }

            var path = Locate(options) ?? throw new FileNotFoundException(
                $"The PDF font {FileName} was not found: set Documents:FontFile, or run ./scripts/setup.sh (npm) so that node_modules/@expo-google-fonts/noto-sans-sc exists.");
            GlobalFontSettings.FontResolver = new Resolver(File.ReadAllBytes(path));
            _installed = path;
        }
    }

    /// <summary>Documents:FontFile, else fonts/ beside the app, else node_modules of the working folder or any parent of it or of the app.</summary>
    public static string? Locate(DocumentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.FontFile))
        {
            return File.Exists(options.FontFile) ? options.FontFile : null;
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "fonts", FileName);
        if (File.Exists(beside))
        {
            return beside;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "node_modules", "@expo-google-fonts", "noto-sans-sc", "400Regular", FileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private sealed class Resolver(byte[] font) : IFontResolver
    {
        private const string Face = "NotoSansSC-Regular";

        // Bold is simulated from the regular face: one file keeps the PDF small and the deployment simple.
        public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) => new(Face, isBold, isItalic);

        public byte[]? GetFont(string faceName) => faceName == Face ? font : null;
    }
}
