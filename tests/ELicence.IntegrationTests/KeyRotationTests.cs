namespace ELicence.IntegrationTests;

/// <summary>A service of its own on a fake clock: rotations and compromises change its key ring for every later test.</summary>
public sealed class KeyRingFixture : LifecycleFixture
{
    /// <summary>The ring's keys of one algorithm (EdDSA unless said: the SM2 key rotates beside it on the same schedule).</summary>
    public async Task<List<JsonElement>> KeysAsync(string alg = "EdDSA")
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, "/api/v1/keys", RegistrarKey);
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.GetProperty("keys").EnumerateArray().Where(k => k.GetProperty("alg").GetString() == alg)];
    }

    public async Task<string?> StateOfAsync(string kid) =>
        (await KeysAsync()).Where(k => k.GetProperty("kid").GetString() == kid).Select(k => k.GetProperty("state").GetString()).SingleOrDefault();

    /// <summary>Advances the clock until no key is announced any more (the schedule has promoted it).</summary>
    public Task SettleAsync() =>
        AdvanceUntilAsync(TimeSpan.Zero, async () => (await KeysAsync()).All(k => k.GetProperty("state").GetString() != "announced"));

    public static string KidOf(string jws) =>
        JsonDocument.Parse(Convert.FromBase64String(Pad(jws.Split('.')[0]))).RootElement.GetProperty("kid").GetString()!;

    private static string Pad(string b64Url)
    {
        var s = b64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }
}

[CollectionDefinition(Name)]
public sealed class KeyRotationCollection : ICollectionFixture<KeyRingFixture>
{
    public const string Name = "key-rotation";
}

/// <summary>Rotation over HTTP: announce → active → retired, what was signed before still verifies, with the service and with jose.</summary>
[Collection(KeyRotationCollection.Name)]
public class KeyRotationTests(KeyRingFixture service)
{
    [Fact]
    public async Task Credentials_and_receipts_signed_before_a_rotation_still_verify_with_the_service_and_with_jose_and_the_new_JWKS()
    {
        await service.SettleAsync();
        var code = await service.IssueAsync();
        var credential = await service.CredentialAsync(code);
        var receipt = (await service.VerifyAsync(new { credential })).GetProperty("receipt").GetProperty("jws").GetString()!;
        var oldKid = KeyRingFixture.KidOf(credential);

        var (status, rotation, _) = await service.SendAsync(HttpMethod.Post, "/api/v1/keys/rotations", service.RegistrarKey, new { alg = "EdDSA" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var newKid = rotation.GetProperty("announced").GetProperty("kid").GetString()!;
        Assert.Equal("announced", await service.StateOfAsync(newKid));
        using (var jwksResponse = await service.Http.GetAsync("/.well-known/jwks.json"))
        {
            // Announced: published before it signs, for longer than a JWKS may be cached.
            var kids = JsonDocument.Parse(await jwksResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
            Assert.Contains(newKid, kids);
            Assert.Equal(TimeSpan.FromMinutes(5), jwksResponse.Headers.CacheControl!.MaxAge);
            Assert.True(rotation.GetProperty("signsFrom").GetDateTimeOffset() - service.Clock.GetUtcNow() >= jwksResponse.Headers.CacheControl.MaxAge);
        }

        Assert.Equal(oldKid, KeyRingFixture.KidOf(await service.CredentialAsync(await service.IssueAsync())));

        await service.AdvanceUntilAsync(TimeSpan.FromHours(1), async () => await service.StateOfAsync(oldKid) == "retired");

        Assert.Equal("active", await service.StateOfAsync(newKid));
        Assert.True((await service.VerifyAsync(new { credential })).GetProperty("valid").GetBoolean());
        var jwks = await service.Http.GetStringAsync("/.well-known/jwks.json");
        var credentialCheck = await JoseTool.VerifyAsync(jwks, credential, "vc+jwt");
        Assert.True(credentialCheck.Verified, credentialCheck.Error);
        var receiptCheck = await JoseTool.VerifyAsync(jwks, receipt, "receipt+jwt");
        Assert.True(receiptCheck.Verified, receiptCheck.Error);

        var later = await service.CredentialAsync(await service.IssueAsync());
        Assert.Equal(newKid, KeyRingFixture.KidOf(later));
        var laterCheck = await JoseTool.VerifyAsync(jwks, later, "vc+jwt");
        Assert.True(laterCheck.Verified, laterCheck.Error);
    }

    [Fact]
    public async Task Concurrent_rotate_now_calls_announce_one_key()
    {
        await service.SettleAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => service.SendAsync(HttpMethod.Post, "/api/v1/keys/rotations", service.RegistrarKey, new { alg = "EdDSA" })));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Accepted);
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.Accepted, HttpStatusCode.OK }));
        Assert.Single(answers.Select(a => a.Body.GetProperty("announced").GetProperty("kid").GetString()).Distinct());
        Assert.Single(await service.KeysAsync(), k => k.GetProperty("state").GetString() == "announced");
    }

    [Fact]
    public async Task The_schedule_announces_a_successor_before_the_rotation_is_due_and_promotes_it_after_the_announce_period()
    {
        await service.SettleAsync();
        var active = (await service.KeysAsync()).Single(k => k.GetProperty("state").GetString() == "active").GetProperty("kid").GetString()!;

        await service.AdvanceUntilAsync(TimeSpan.FromDays(90) - TimeSpan.FromHours(1), async () => (await service.KeysAsync()).Any(k => k.GetProperty("state").GetString() == "announced"));
        Assert.Equal("active", await service.StateOfAsync(active));
        await service.AdvanceUntilAsync(TimeSpan.FromHours(1), async () => await service.StateOfAsync(active) == "retired");

        var keys = await service.KeysAsync();
        var successor = keys.Single(k => k.GetProperty("state").GetString() == "active");
        Assert.True(successor.GetProperty("activatedAt").GetDateTimeOffset() - successor.GetProperty("announcedAt").GetDateTimeOffset() >= TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Rotation_and_compromise_requests_that_are_not_understood_change_nothing()
    {
        var before = (await service.KeysAsync()).Select(k => k.GetRawText()).ToList();

        var noAlg = await service.SendAsync(HttpMethod.Post, "/api/v1/keys/rotations", service.RegistrarKey, new { });
        var otherAlg = await service.SendAsync(HttpMethod.Post, "/api/v1/keys/rotations", service.RegistrarKey, new { alg = "RS256" });
        var extra = await service.SendAsync(HttpMethod.Post, "/api/v1/keys/rotations", service.RegistrarKey, new { alg = "EdDSA", force = true });
        var active = (await service.KeysAsync()).Single(k => k.GetProperty("state").GetString() == "active").GetProperty("kid").GetString()!;
        var noReason = await service.SendAsync(HttpMethod.Post, $"/api/v1/keys/{active}/compromise-proposals", service.RegistrarKey, new { });
        var unknown = await service.SendAsync(HttpMethod.Post, "/api/v1/keys/not-a-key/compromise-proposals", service.RegistrarKey, new { reason = "test" });
        var direct = await service.SendAsync(HttpMethod.Post, $"/api/v1/keys/{active}/compromise", service.RegistrarKey, new { reason = "test" });
        var notWithdrawn = await service.SendAsync(HttpMethod.Get, $"/api/v1/keys/{active}/reissue", service.RegistrarKey);
        var byVerifier = await service.SendAsync(HttpMethod.Post, $"/api/v1/keys/{active}/compromise", service.VerifierKey, new { reason = "test" });

        Assert.Equal("alg", Field(noAlg));
        Assert.Equal("alg", Field(otherAlg));
        Assert.Equal("force", Field(extra));
        Assert.Equal("reason", Field(noReason));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.Conflict, direct.Status); // four-eyes: the direct route points to the proposals
        Assert.Equal("urn:elicence:problem:four-eyes-required", direct.Body.GetProperty("type").GetString());
        Assert.Equal($"/api/v1/keys/{active}/compromise-proposals", direct.Body.GetProperty("proposals").GetString());
        Assert.Equal(HttpStatusCode.NotFound, notWithdrawn.Status);
        Assert.Equal(HttpStatusCode.Forbidden, byVerifier.Status);
        Assert.Equal(before, (await service.KeysAsync()).Select(k => k.GetRawText()).ToList());
    }

    private static string Field((HttpStatusCode Status, JsonElement Body, HttpResponseMessage _) answer)
    {
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        return answer.Body.GetProperty("errors")[0].GetProperty("field").GetString()!;
    }
}

/// <summary>Compromise over HTTP: the key's signatures fail, its current credentials are re-issued through the queue, and the successors verify.</summary>
[Collection(KeyCompromiseCollection.Name)]
public class KeyCompromiseTests(KeyCompromiseFixture service)
{
    [Fact]
    public async Task A_compromised_keys_credentials_fail_with_key_compromised_and_their_reissued_successors_pass()
    {
        var active = await service.IssueAsync();
        var suspended = await service.IssueAsync();
        await service.ActAsync(suspended, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告" });
        var revoked = await service.IssueAsync();
        await service.ActAsync(revoked, "revocation", new { reason = "吊销" });
        var before = new Dictionary<string, string>();
        foreach (var code in new[] { active, suspended, revoked })
        {
            before[code] = await service.CredentialAsync(code);
        }

        var kid = KeyRingFixture.KidOf(before[active]);

        // Four-eyes: the registrar proposes, the supervisor approves; the withdrawal takes effect on the approval.
        var (proposed, proposal, response) = await service.SendAsync(HttpMethod.Post, $"/api/v1/keys/{kid}/compromise-proposals", service.RegistrarKey, new { reason = "签名密钥泄露" });
        Assert.Equal(HttpStatusCode.Created, proposed);
        Assert.Equal(kid, proposal.GetProperty("kid").GetString());
        Assert.Contains(kid, (await service.Http.GetStringAsync("/.well-known/jwks.json")), StringComparison.Ordinal); // nothing withdrawn yet
        var (approved, decided, _) = await service.SendAsync(HttpMethod.Post, response.Headers.Location!.OriginalString + "/approval", service.SupervisorKey);
        Assert.Equal(HttpStatusCode.OK, approved);
        Assert.Equal("approved", decided.GetProperty("state").GetString());

        JsonElement progress = default;
        await service.AdvanceUntilAsync(TimeSpan.Zero, async () =>
        {
            progress = (await service.SendAsync(HttpMethod.Get, $"/api/v1/keys/{kid}/reissue", service.RegistrarKey)).Body;
            return progress.GetProperty("state").GetString() == "done";
        });

        Assert.Equal(2, progress.GetProperty("reissued").GetInt32());
        Assert.Equal(0, progress.GetProperty("pending").GetInt32());
        var jwks = await service.Http.GetStringAsync("/.well-known/jwks.json");
        Assert.DoesNotContain(kid, jwks, StringComparison.Ordinal);
        foreach (var code in new[] { active, suspended, revoked })
        {
            var old = await service.VerifyAsync(new { credential = before[code] });
            Assert.False(old.GetProperty("valid").GetBoolean());
            Assert.Equal("key-compromised", old.GetProperty("reasons")[0].GetProperty("code").GetString());
            Assert.False((await JoseTool.VerifyAsync(jwks, before[code], "vc+jwt")).Verified);
        }

        // The re-issued successor: same licence, next version, the new key; status unchanged.
        var successor = await service.CredentialAsync(active);
        Assert.NotEqual(kid, KeyRingFixture.KidOf(successor));
        var check = await service.VerifyAsync(new { credential = successor });
        Assert.True(check.GetProperty("valid").GetBoolean(), check.GetRawText());
        Assert.Equal(2, check.GetProperty("licence").GetProperty("version").GetInt32());
        var jose = await JoseTool.VerifyAsync(jwks, successor, "vc+jwt");
        Assert.True(jose.Verified, jose.Error);

        var suspendedCheck = await service.VerifyAsync(new { credential = await service.CredentialAsync(suspended) });
        Assert.Equal("suspended", suspendedCheck.GetProperty("licence").GetProperty("status").GetString());
        Assert.DoesNotContain(suspendedCheck.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() is "key-compromised" or "superseded");

        var revokedNow = (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{revoked}", service.RegistrarKey)).Body;
        Assert.Equal(1, revokedNow.GetProperty("version").GetInt32()); // final: told by its status, not re-signed

        var history = (await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{active}/history", service.RegistrarKey)).Body.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["issued", "credential-reissued"], history.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("system:key-compromise", history[1].GetProperty("actorId").GetString());

        // Withdrawing it again changes nothing: the re-issue is not repeated.
        var (_, again, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/keys/{kid}/compromise-proposals", service.RegistrarKey, new { reason = "再次确认" });
        var (approvedAgain, _, _) = await service.SendAsync(HttpMethod.Post, $"/api/v1/proposals/{again.GetProperty("id").GetString()}/approval", service.SupervisorKey);
        Assert.Equal(HttpStatusCode.OK, approvedAgain);
        var repeated = (await service.SendAsync(HttpMethod.Get, $"/api/v1/keys/{kid}/reissue", service.RegistrarKey)).Body;
        await service.AdvanceUntilAsync(TimeSpan.Zero, async () =>
            (await service.SendAsync(HttpMethod.Get, $"/api/v1/keys/{kid}/reissue", service.RegistrarKey)).Body.GetProperty("state").GetString() == "done");
        Assert.Equal(successor, await service.CredentialAsync(active));
        // The job keeps the first withdrawal's reason, with who proposed and who approved it.
        Assert.StartsWith("签名密钥泄露 (proposed by Test registrar, approved by Test supervisor", repeated.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}

public sealed class KeyCompromiseFixture : LifecycleFixture;

[CollectionDefinition(Name)]
public sealed class KeyCompromiseCollection : ICollectionFixture<KeyCompromiseFixture>
{
    public const string Name = "key-compromise";
}
