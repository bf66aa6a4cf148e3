using System.Text.Json;
using ELicence.Core.Keys;
using ELicence.Core.Problems;
using ELicence.Core.Receipts;
using ELicence.Core.Serialization;
using ELicence.Core.Verification;
using ELicence.Jose;

namespace ELicence.OfflineVerifier;

/// <summary>
/// <c>elicence receipt &lt;receipt.jwt|-&gt; --service &lt;url&gt; [--credential &lt;file&gt;]… [--code &lt;credit code&gt;]… [--issuer …] [--cache …] [--offline]</c>:
/// checks a batch receipt (the bare compact JWS, <c>typ: batch-receipt+jwt</c>) with the cached JWKS, and for every item
/// input given, that its SHA-256 is in the receipt and with which outcome. Exit code 0 the receipt is genuine and holds every
/// input, 1 it is not genuine or an input is missing from it, 2 bad usage or no JWKS to check it with.
/// </summary>
public static class ReceiptCommand
{
    private const string Usage = "usage: elicence receipt <batch-receipt.jwt|-> --service <url> [--credential <credential file>]... [--code <credit code>]... [--issuer <issuer id>] [--cache <dir>] [--offline]";

    /// <summary>Far above a 500-item receipt (about 150 KB), far below anything that could hurt.</summary>
    internal const int MaxReceiptLength = 4 * 1024 * 1024;

    public static async Task<int> RunAsync(string[] args, HttpClient http, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(time);
        if (!ToolOptions.TryParse(args, "receipt", ["--credential", "--code"], time, out var options))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        try
        {
            var jws = await ToolOptions.ReadInputAsync(options.InputFile, cancellationToken);
            var inputs = new List<(string Label, string Presented)>();
            foreach (var (name, value) in options.Extra)
            {
                inputs.Add(name == "--code" ? ($"code {value}", value.Trim()) : ($"credential {value}", await ToolOptions.ReadInputAsync(value, cancellationToken)));
            }

            var cache = new OfflineCache(options.CacheDirectory, options.IssuerId, options.Service, http);
            if (!options.Offline)
            {
                await cache.RefreshAsync([], options.Now, VerifyCommand.JwksMaxAge, cancellationToken);
                if (CompactJws.TryParse(jws, MaxReceiptLength, out var parsed, out _) && parsed.KeyId is { } kid && !OfflineVerification.Ed25519Keys(cache.Load().Jwks).ContainsKey(kid))
                {
                    await cache.RefreshAsync([], options.Now, TimeSpan.Zero, cancellationToken);   // a key newer than the cached JWKS
                }
            }

            var (genuine, receipt, failure) = CheckSignature(jws, cache.Load());
            var found = receipt is null ? [] : inputs.Select(i => Find(receipt, i.Label, i.Presented)).ToList();
            await output.WriteLineAsync(JsonSerializer.Serialize(
                new { Genuine = genuine, Failure = failure, receipt?.Id, receipt?.Issuer, receipt?.VerifiedAt, receipt?.Verifier, receipt?.Purpose, receipt?.Summary, Inputs = found },
                VerifyCommand.Output));
            return genuine && found.All(f => f.Found) ? 0 : 1;
        }
        catch (Exception e) when (e is ProblemException or IOException or HttpRequestException or JsonException or InvalidDataException)
        {
            await error.WriteLineAsync($"elicence: {e.Message}");
            return 2;
        }
    }

    /// <summary>The receipt's claims when it is a batch receipt this issuer signed with a key of the JWKS; otherwise why not.</summary>
    private static (bool Genuine, BatchReceipt? Receipt, string? Failure) CheckSignature(string jws, OfflineMaterial material)
    {
        if (!CompactJws.TryParse(jws, MaxReceiptLength, out var parsed, out var malformed))
        {
            return (false, null, $"not a compact JWS: {malformed}");
        }

        if (parsed.Type != BatchReceipt.JwsType || parsed.Algorithm != SigningKey.EdDsa)
        {
            return (false, null, $"typ {parsed.Type ?? "(none)"} alg {parsed.Algorithm}: a batch receipt is typ {BatchReceipt.JwsType}, alg {SigningKey.EdDsa}");
        }

        if (parsed.KeyId is null || !OfflineVerification.Ed25519Keys(material.Jwks).TryGetValue(parsed.KeyId, out var key))
        {
            return (false, null, $"kid {parsed.KeyId ?? "(none)"} is not in the issuer's JWKS");
        }

        if (!Ed25519.Verify(key, parsed.SigningInput, parsed.Signature))
        {
            return (false, null, "the signature does not match the receipt: it was altered or not signed by this issuer");
        }

        var receipt = ElicenceJson.Deserialize<BatchReceipt>(parsed.Payload);
        return receipt is { Items: not null } && receipt.Issuer == material.IssuerId
            ? (true, receipt, null)
            : (false, null, $"the receipt's issuer is {receipt?.Issuer ?? "(none)"}, not {material.IssuerId}");
    }

    private static InputMatch Find(BatchReceipt receipt, string label, string presented)
    {
        var digest = LicenceChecker.Digest(presented);
        var items = receipt.Items.Where(i => i.InputSha256 == digest).ToList();
        return new InputMatch(label, digest, items.Count > 0, items);
    }

    private sealed record InputMatch(string Input, string InputSha256, bool Found, IReadOnlyList<BatchReceiptItem> Items);
}
