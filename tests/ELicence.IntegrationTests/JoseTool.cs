using System.Diagnostics;

namespace ELicence.IntegrationTests;

/// <summary>Runs tests/tools/verify-with-jose.mjs: the independent `jose` library (npm) verifying a token with a JWKS only.</summary>
internal static class JoseTool
{
    public static Task<(bool Verified, JsonElement? Result, string Error)> VerifyAsync(string jwks, string token, string expectedTyp) =>
        RunAsync("tests/tools/verify-with-jose.mjs", jwks, token, [expectedTyp]);

    /// <summary>tests/tools/verify-detached-with-jose.mjs: a detached-payload JWS (RFC 7515 Appendix F) with the payload given as hex.</summary>
    public static Task<(bool Verified, JsonElement? Result, string Error)> VerifyDetachedAsync(string jwks, string token, string payloadHex, string expectedTyp) =>
        RunAsync("tests/tools/verify-detached-with-jose.mjs", jwks, token, [payloadHex, expectedTyp]);

    private static async Task<(bool Verified, JsonElement? Result, string Error)> RunAsync(string tool, string jwks, string token, string[] arguments)
    {
        var script = RepositoryFiles.Find(tool) ?? throw new FileNotFoundException(tool);
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
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

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
