using System.Globalization;
using System.Diagnostics;
using ELicence.Core.StatusLists;
using ELicence.Storage;

namespace ELicence.IntegrationTests;

/// <summary>
/// For every life-cycle state, a verifier offline (the credential, the published status lists and the JWKS, checked with
/// independent libraries) reaches the same answer as the online verification.
/// </summary>
[Collection(LifecycleCollection.Name)]
public class StatusListTests(LifecycleFixture service)
{
    [Fact]
    public async Task The_offline_answer_matches_the_online_verification_in_every_state()
    {
        var credentials = new Dictionary<string, string>();

        var active = await service.IssueAsync();
        credentials["active"] = await service.CredentialAsync(active);

        var amended = await service.IssueAsync();
        credentials["superseded"] = await service.CredentialAsync(amended);
        await service.ActAsync(amended, "amendments", new { domicile = "阿图什市新住所 2 号", reason = "迁址" });
        credentials["amended"] = await service.CredentialAsync(amended);

        var suspended = await service.IssueAsync();
        credentials["suspended"] = await service.CredentialAsync(suspended);
        await service.ActAsync(suspended, "suspension", new { reasonCode = "unreachable-at-domicile", reason = "通过登记的住所无法联系" });

        var reinstated = await service.IssueAsync();
        credentials["reinstated"] = await service.CredentialAsync(reinstated);
        await service.ActAsync(reinstated, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未报年报" });
        await service.ActAsync(reinstated, "reinstatement", new { reason = "已补报" });

        var revoked = await service.IssueAsync();
        credentials["revoked"] = await service.CredentialAsync(revoked);
        await service.ActAsync(revoked, "revocation", new { reason = "虚假登记" });

        var noticed = await service.IssueAsync();
        credentials["in-notice"] = await service.CredentialAsync(noticed);
        await service.ActAsync(noticed, "deregistration", new { reason = "解散" });

        var deregistered = await service.IssueAsync();
        credentials["deregistered"] = await service.CredentialAsync(deregistered);
        await service.ActAsync(deregistered, "deregistration", new { reason = "解散" });
        await service.AdvanceUntilAsync(TimeSpan.FromDays(21), async () => await service.StoredStatusAsync(deregistered) == "deregistered");
        credentials.Remove("in-notice"); // its notice has run out too by now; give it a fresh one
        noticed = await service.IssueAsync();
        credentials["in-notice"] = await service.CredentialAsync(noticed);
        await service.ActAsync(noticed, "deregistration", new { reason = "解散" });

        var future = service.Today.AddYears(4).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var ahead = Applications.With("operatingTerm", new { from = future, to = (string?)null });
        var registeredAhead = await service.IssueAsync(ahead);
        credentials["not-yet-in-force"] = await service.CredentialAsync(registeredAhead);

        var expiring = await service.IssueAsync(Applications.With("operatingTerm", new { from = "2026-11-02", to = service.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }));
        credentials["expired"] = await service.CredentialAsync(expiring);
        await service.AdvanceUntilAsync(TimeSpan.FromDays(1), async () => await service.StoredStatusAsync(expiring) == "expired");

        await WaitUntilStatusListsAreSettledAsync();
        var dir = Directory.CreateTempSubdirectory("elicence-status");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "jwks.json"), await service.Http.GetStringAsync("/.well-known/jwks.json"));
            foreach (var purpose in new[] { "revocation", "suspension" })
            {
                var response = await service.Http.GetAsync($"/api/v1/status-lists/{purpose}/0");
                Assert.Equal("application/vc+jwt", response.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(response.Headers.CacheControl?.MaxAge);
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, $"{purpose}-0.jwt"), await response.Content.ReadAsStringAsync());
            }

            var expected = new Dictionary<string, string>
            {
                ["active"] = "valid", ["amended"] = "valid", ["reinstated"] = "valid", ["in-notice"] = "valid",
                ["superseded"] = "revoked", ["revoked"] = "revoked", ["deregistered"] = "revoked",
                ["suspended"] = "suspended", ["expired"] = "expired", ["not-yet-in-force"] = "not-yet-in-force",
            };
            foreach (var (state, credential) in credentials)
            {
                var online = Category(await service.VerifyAsync(new { credential }));
                var offline = await OfflineAsync(dir.FullName, credential);

                Assert.True(expected[state] == online, $"{state}: online says {online}, expected {expected[state]}");
                Assert.True(online == offline, $"{state}: online says {online}, offline says {offline}");
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_status_list_has_at_least_131072_entries_and_decodes_with_an_independent_gzip_and_base64url()
    {
        await service.IssueAsync();
        await WaitUntilStatusListsAreSettledAsync();
        var token = await service.Http.GetStringAsync("/api/v1/status-lists/revocation/0");

        var check = await JoseTool.VerifyAsync(await service.Http.GetStringAsync("/.well-known/jwks.json"), token, "vc+jwt");

        Assert.True(check.Verified, check.Error);
        var subject = check.Result!.Value.GetProperty("payload").GetProperty("credentialSubject");
        Assert.Equal("BitstringStatusList", subject.GetProperty("type").GetString());
        Assert.Equal("revocation", subject.GetProperty("statusPurpose").GetString());
        Assert.True(subject.GetProperty("ttl").GetInt64() > 0);
        var encoded = subject.GetProperty("encodedList").GetString()!;
        Assert.StartsWith("u", encoded, StringComparison.Ordinal);
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(Convert.FromBase64String(ToPaddedBase64(encoded[1..]))), System.IO.Compression.CompressionMode.Decompress);
        using var bits = new MemoryStream();
        await gzip.CopyToAsync(bits);
        Assert.True(bits.Length * 8 >= 131_072, $"{bits.Length * 8} entries");
        Assert.Equal(404, (int)(await service.Http.GetAsync("/api/v1/status-lists/approval/0")).StatusCode);
        Assert.Equal(404, (int)(await service.Http.GetAsync("/api/v1/status-lists/revocation/99")).StatusCode);

        // Standard base64 with padding, written out here so the check does not reuse the service's own decoder.
        static string ToPaddedBase64(string base64Url)
        {
            var text = base64Url.Replace('-', '+').Replace('_', '/');
            return text + new string('=', (4 - (text.Length % 4)) % 4);
        }
    }

    [Fact]
    public async Task A_change_whose_status_sync_was_lost_in_a_crash_reaches_the_list_through_the_sweep()
    {
        var code = await service.IssueAsync();
        await WaitUntilStatusListsAreSettledAsync();
        var credential = await service.CredentialAsync(code);

        // Commit a suspension straight to the store, as the API does, but "crash" before the sync is queued.
        var licences = service.Services.GetRequiredService<Core.Licences.ILicenceStore>();
        var current = (await licences.FindCurrentAsync(Core.CreditCodes.CreditCode.Parse(code), default))!;
        var now = service.Clock.GetUtcNow();
        var suspended = current with
        {
            Status = Core.Licences.LicenceStatus.Suspended,
            StatusDetail = new Core.Licences.StatusDetail(now, "false-information", "crash test", service.Today, null),
            EventCount = current.EventCount + 1,
        };
        var evt = new Core.Licences.LicenceEvent(current.EventCount + 1, "suspended", now, "registrar:test", "Test", current.Version,
            Core.Licences.LicenceStatus.Active, Core.Licences.LicenceStatus.Suspended, [], "crash test");
        Assert.NotNull(await licences.TrySaveAsync(new Core.Licences.LicenceChange(suspended, evt, false), default));

        await service.AdvanceUntilAsync(TimeSpan.FromMinutes(1), async () =>
        {
            var dir = Directory.CreateTempSubdirectory("elicence-sweep");
            try
            {
                await File.WriteAllTextAsync(Path.Combine(dir.FullName, "jwks.json"), await service.Http.GetStringAsync("/.well-known/jwks.json"));
                foreach (var purpose in new[] { "revocation", "suspension" })
                {
                    await File.WriteAllTextAsync(Path.Combine(dir.FullName, $"{purpose}-0.jwt"), await service.Http.GetStringAsync($"/api/v1/status-lists/{purpose}/0"));
                }

                return await OfflineAsync(dir.FullName, credential) == "suspended";
            }
            finally
            {
                dir.Delete(recursive: true);
            }
        });
    }

    [Fact]
    public async Task An_amendment_whose_credential_write_was_lost_in_a_crash_gets_its_credential_when_it_is_fetched()
    {
        var code = await service.IssueAsync();
        var licences = service.Services.GetRequiredService<Core.Licences.ILicenceStore>();
        var current = (await licences.FindCurrentAsync(Core.CreditCodes.CreditCode.Parse(code), default))!;
        var now = service.Clock.GetUtcNow();
        var amended = current with
        {
            Version = 2,
            Details = current.Details with { Domicile = "阿图什市崩溃测试路 1 号" },
            CredentialId = "urn:uuid:" + Guid.CreateVersion7(),
            StatusListIndex = await service.Services.GetRequiredService<Core.Licences.ISequenceAllocator>().AllocateAsync(Core.Licences.Sequences.StatusListIndices, $"{code}/v2", default),
            IssuedAt = now,
            EventCount = current.EventCount + 1,
        };
        var evt = new Core.Licences.LicenceEvent(current.EventCount + 1, "amended", now, "registrar:test", "Test", 2,
            Core.Licences.LicenceStatus.Active, Core.Licences.LicenceStatus.Active, [], "crash after commit");

        // The amendment commits, then the process dies before the credential blob is written.
        Assert.NotNull(await licences.TrySaveAsync(new Core.Licences.LicenceChange(amended, evt, AddsVersion: true), default));
        var credential = await service.CredentialAsync(code);
        var result = await service.VerifyAsync(new { credential });

        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.Equal(2, result.GetProperty("licence").GetProperty("version").GetInt32());
        Assert.Equal(credential, await service.CredentialAsync(code));
    }

    private static string Category(JsonElement verification)
    {
        if (verification.GetProperty("valid").GetBoolean())
        {
            return "valid";
        }

        var codes = verification.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToHashSet();
        return codes.Overlaps(["superseded", "revoked", "deregistered"]) ? "revoked"
            : codes.Contains("suspended") ? "suspended"
            : codes.Contains("expired") ? "expired"
            : codes.Contains("not-yet-in-force") ? "not-yet-in-force"
            : "other: " + string.Join(",", codes);
    }

    private async Task<string> OfflineAsync(string dir, string credential)
    {
        var credentialFile = Path.Combine(dir, "credential.jwt");
        await File.WriteAllTextAsync(credentialFile, credential);
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { RepositoryFiles.Find("tests/tools/check-status-offline.mjs")!, Path.Combine(dir, "jwks.json"), credentialFile, dir, service.Clock.GetUtcNow().ToString("O") })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        return output.Trim();
    }

    /// <summary>Every change synced and every list published: no queued work, no pending mark, no dirty list.</summary>
    private async Task WaitUntilStatusListsAreSettledAsync()
    {
        var store = service.Services.GetRequiredService<IStatusListStore>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var queued = 0;
            foreach (var queue in new[] { StorageNames.StatusSyncQueue, StorageNames.StatusPublishQueue, StorageNames.IssuanceQueue })
            {
                queued += (await service.Storage.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;
            }

            var pending = (await service.QueryAsync(StorageNames.LicencesTable, "RowKey eq 'status-sync'")).Count;
            var dirty = 0;
            await foreach (var _ in store.GetDirtyAsync(default))
            {
                dirty++;
            }

            if (queued == 0 && pending == 0 && dirty == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Status lists did not settle: {queued} queued, {pending} pending, {dirty} dirty.");
            await Task.Delay(50);
        }
    }
}
