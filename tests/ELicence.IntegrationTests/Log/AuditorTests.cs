using ELicence.OfflineVerifier;

namespace ELicence.IntegrationTests.Log;

/// <summary>
/// `elicence audit …` against the running host's log API, with only what it publishes: a receipt's proof, a checkpoint
/// saved and checked again after the log grew, and a mirror of every tile, all verify; an altered receipt does not.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class AuditorTests(ServiceFixture service) : IDisposable
{
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("elicence-audit-it");

    private string Url => service.Http.BaseAddress!.ToString();

    public void Dispose() => _files.Delete(recursive: true);

    [Fact]
    public async Task An_auditor_pins_the_served_key_then_checks_a_saved_checkpoint_and_every_tile_after_the_log_grew()
    {
        await service.IssueAsync(Applications.Valid("阿图什市审计甲有限公司"));
        await EventuallyAsync(async () => await LiveSizeAsync() > 0, "the issuance event did not reach the log");
        var saved = Path.Combine(_files.FullName, "seen.checkpoint");

        var checkpoint = await AuditAsync("checkpoint", "--url", Url, "--save", saved);
        Assert.True(checkpoint.Exit == 0, checkpoint.Output + checkpoint.Error);
        var key = checkpoint.Json.GetProperty("key").GetString()!;
        Assert.Contains(key, checkpoint.Error, StringComparison.Ordinal);   // first use: printed for the auditor to pin
        Assert.Equal(await service.Http.GetStringAsync(new Uri("/api/v1/log/key", UriKind.Relative)), key);

        // The log grows (another licence's issuance event); the saved checkpoint is still a prefix of it.
        var seenSize = checkpoint.Json.GetProperty("treeSize").GetInt64();
        await service.IssueAsync(Applications.Valid("阿图什市审计乙有限公司"));
        await EventuallyAsync(async () => await LiveSizeAsync() > seenSize, "the log did not grow after an issuance");

        var consistency = await AuditAsync("consistency", "--url", Url, "--old", saved, "--key", key);
        var tiles = await AuditAsync("tiles", "--url", Url, "--key", key);

        Assert.True(consistency.Exit == 0, consistency.Output + consistency.Error);
        Assert.True(consistency.Json.GetProperty("new").GetProperty("treeSize").GetInt64() > seenSize);
        Assert.True(tiles.Exit == 0, tiles.Output + tiles.Error);
        Assert.True(tiles.Json.GetProperty("treeSize").GetInt64() > seenSize);
    }

    [Fact]
    public async Task A_receipt_and_its_served_proof_verify_offline_and_against_the_live_log_and_an_altered_receipt_does_not()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市审计丙有限公司"));
        var (_, verification, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/verifications", service.VerifierKey, new { creditCode = code });
        var receiptFile = await WriteAsync("receipt.jwt", verification.GetProperty("receipt").GetProperty("jws").GetString()!);
        var proofFile = await WriteAsync("proof.json", await SequencedProofAsync(verification.GetProperty("receipt").GetProperty("id").GetString()!));
        var key = await service.Http.GetStringAsync(new Uri("/api/v1/log/key", UriKind.Relative));

        var offline = await AuditAsync("receipt", receiptFile, "--proof", proofFile, "--key", key);
        var online = await AuditAsync("receipt", receiptFile, "--proof", proofFile, "--url", Url, "--key", key);

        Assert.True(offline.Exit == 0, offline.Output + offline.Error);
        Assert.True(online.Exit == 0, online.Output + online.Error);
        Assert.StartsWith("receipt:rcpt_", offline.Json.GetProperty("leaf").GetString(), StringComparison.Ordinal);

        // The same receipt with one claim rewritten is not the one the log holds.
        var parts = (await File.ReadAllTextAsync(receiptFile)).Split('.');
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("\"valid\":true", "\"valid\":false", StringComparison.Ordinal);
        await File.WriteAllTextAsync(receiptFile, $"{parts[0]}.{ELicence.Jose.B64Url.Encode(Encoding.UTF8.GetBytes(payload))}.{parts[2]}");
        var altered = await AuditAsync("receipt", receiptFile, "--proof", proofFile, "--key", key);
        Assert.Equal(1, altered.Exit);
        Assert.Contains("the proof's entry is not this receipt's", altered.Json.GetProperty("failure").GetString(), StringComparison.Ordinal);
    }

    private sealed record Run(int Exit, string Output, string Error)
    {
        public JsonElement Json => JsonDocument.Parse(Output).RootElement.Clone();
    }

    private async Task<Run> AuditAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await AuditCommand.RunAsync(["audit", .. args], service.Http, output, error, default);
        return new Run(exit, output.ToString(), error.ToString());
    }

    /// <summary>The receipt's proof once the sequencer has taken it in (404 with Retry-After until then, seconds).</summary>
    private async Task<string> SequencedProofAsync(string receiptId)
    {
        string? proof = null;
        await EventuallyAsync(async () =>
        {
            using var request = service.Request(HttpMethod.Get, $"/api/v1/receipts/{receiptId}/proof", service.VerifierKey);
            using var response = await service.Http.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{response.StatusCode}");
            proof = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
            return proof is not null;
        }, $"receipt {receiptId} was not sequenced");
        return proof!;
    }

    private async Task<long> LiveSizeAsync() =>
        long.Parse((await service.Http.GetStringAsync(new Uri("/api/v1/log/checkpoint", UriKind.Relative))).Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> WriteAsync(string name, string content)
    {
        var file = Path.Combine(_files.FullName, name);
        await File.WriteAllTextAsync(file, content);
        return file;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(200);
        }
    }
}
