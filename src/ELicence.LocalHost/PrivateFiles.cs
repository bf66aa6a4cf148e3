namespace ELicence.LocalHost;

/// <summary>
/// Files and folders that hold secrets on a development machine (the dev API keys, Azurite's data with the local key
/// ring): readable by their owner only — 0600 files in 0700 folders — however the umask is set, and tightened if an
/// earlier run left them open.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder (and any missing parents) as 0700, or makes an existing one 0700.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, OwnerOnlyDirectory);
        File.SetUnixFileMode(path, OwnerOnlyDirectory);
    }

    /// <summary>
    /// Writes <paramref name="text"/> to a 0600 file, never readable by others, not even while it is written. Missing
    /// folders are created 0700; an existing one is left as it is (it may be shared, like /tmp).
    /// </summary>
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(path, text, cancellationToken);
            return;
        }

        Directory.CreateDirectory(folder, OwnerOnlyDirectory);

        if (File.Exists(path))
        {
            File.SetUnixFileMode(path, OwnerOnlyFile); // before the secret goes in
        }

        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile };
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }
}
