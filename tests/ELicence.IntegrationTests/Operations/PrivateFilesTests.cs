namespace ELicence.IntegrationTests.Operations;

/// <summary>The dev keys file and Azurite's data folder (the local key ring) are for their owner only, whatever the umask.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PrivateFilesTests
{
    [Fact]
    public async Task The_dev_keys_file_is_written_0600_in_a_new_0700_folder_and_an_old_0644_file_is_tightened()
    {
        var root = Directory.CreateTempSubdirectory("elicence-private");
        try
        {
            var path = Path.Combine(root.FullName, ".local", "dev-keys.env");
            await PrivateFiles.WriteAllTextAsync(path, "export ELICENCE_REGISTRAR_KEY=x\n", default);
            Assert.Equal(PrivateFiles.OwnerOnlyFile, File.GetUnixFileMode(path));
            Assert.Equal(PrivateFiles.OwnerOnlyDirectory, File.GetUnixFileMode(Path.GetDirectoryName(path)!));

            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            await PrivateFiles.WriteAllTextAsync(path, "export ELICENCE_REGISTRAR_KEY=y\n", default);

            Assert.Equal(PrivateFiles.OwnerOnlyFile, File.GetUnixFileMode(path));
            Assert.Equal("export ELICENCE_REGISTRAR_KEY=y\n", await File.ReadAllTextAsync(path));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Azurites_data_folder_is_created_0700_and_an_existing_open_one_is_closed()
    {
        var root = Directory.CreateTempSubdirectory("elicence-azurite");
        try
        {
            var fresh = Path.Combine(root.FullName, ".azurite");
            var open = Path.Combine(root.FullName, "open");
            Directory.CreateDirectory(open, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

            PrivateFiles.CreateDirectory(open);
            await using (var azurite = await AzuriteProcess.StartAsync(FreePort(), FreePort(), FreePort(), fresh, log: null))
            {
                Assert.Equal(PrivateFiles.OwnerOnlyDirectory, File.GetUnixFileMode(fresh));
            }

            Assert.Equal(PrivateFiles.OwnerOnlyDirectory, File.GetUnixFileMode(open));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
