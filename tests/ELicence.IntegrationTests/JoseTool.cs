using System.Diagnostics;

namespace ELicence.IntegrationTests;

/// <summary>Runs tests/tools/verify-with-jose.mjs: the independent `jose` library (npm) verifying a token with a JWKS only.</summary>
internal static class JoseTool
{
    public static async Task<(bool Verified, JsonElement? Result, string Error)> VerifyAsync(string jwks, string token, string expectedTyp)
    {
        var script = RepositoryFiles.Find("tests/tools/verify-with-jose.mjs") ?? throw new FileNotFoundException("verify-with-jose.mjs");
        var dir = Directory.CreateTempSubdirectory("elicence-jose");
        try
        {
            var jwksFile = Path.Combine(dir.FullName, "jwks.json");
            var tokenFile = Path.Combine(dir.FullName, "token");
            await File.WriteAllTextAsync(jwksFile, jwks);
            await File.WriteAllTextAsync(tokenFile, token);
            var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(script);
            info.ArgumentList.Add(jwksFile);
            info.ArgumentList.Add(tokenFile);
            info.ArgumentList.Add(expectedTyp);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0
                ? (true, JsonDocument.Parse(await stdout).RootElement.Clone(), "")
                : (false, null, await stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
