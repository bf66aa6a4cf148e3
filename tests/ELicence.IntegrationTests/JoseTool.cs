using System.Diagnostics;

namespace ELicence.IntegrationTests;

/// <summary>Runs tests/tools/verify-with-jose.mjs: the independent `jose` library (npm) verifying a token with a JWKS only.</summary>
internal static class JoseTool
{
    public static Task<(bool Verified, JsonElement? Result, string Error)> VerifyAsync(string jwks, string token, string expectedTyp) =>
        NodeTool.RunAsync("tests/tools/verify-with-jose.mjs", jwks, token, [expectedTyp]);

    /// <summary>tests/tools/verify-detached-with-jose.mjs: a detached-payload JWS (RFC 7515 Appendix F) with the payload given as hex.</summary>
    public static Task<(bool Verified, JsonElement? Result, string Error)> VerifyDetachedAsync(string jwks, string token, string payloadHex, string expectedTyp) =>
        NodeTool.RunAsync("tests/tools/verify-detached-with-jose.mjs", jwks, token, [payloadHex, expectedTyp]);
}

/// <summary>
/// Runs tests/tools/verify-sd-jwt.mjs: the independent `@sd-jwt/sd-jwt-vc` library (OpenWallet Foundation sd-jwt-js) verifying
/// an SD-JWT VC with the JWKS only, and with a nonce and an audience its key-binding JWT.
/// </summary>
internal static class SdJwtTool
{
    public static Task<(bool Verified, JsonElement? Result, string Error)> VerifyAsync(string jwks, string sdJwt, string? nonce = null, string? audience = null) =>
        NodeTool.RunAsync("tests/tools/verify-sd-jwt.mjs", jwks, sdJwt, nonce is null ? [] : [nonce, audience ?? ""]);
}

/// <summary>Runs a node script of tests/tools with a JWKS file and a token file, then further arguments; its stdout is JSON.</summary>
internal static class NodeTool
{
    public static async Task<(bool Verified, JsonElement? Result, string Error)> RunAsync(string scriptPath, string jwks, string token, IReadOnlyList<string> arguments)
    {
        var script = RepositoryFiles.Find(scriptPath) ?? throw new FileNotFoundException(scriptPath);
        var dir = Directory.CreateTempSubdirectory("elicence-node");
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
