namespace ELicence.IntegrationTests;

/// <summary>
/// Amendments racing on one licence over HTTP against Azurite: every winner is told exactly the version it committed
/// (its own domicile, its own ETag), every loser gets 409 and changed nothing, a stale ETag gets 412, and the history
/// stays contiguous.
/// </summary>
[Collection(ServiceCollection.Name)]
public class ConcurrencyTests(ServiceFixture service)
{
    private const int Parallel = 20;

    [Fact]
    public async Task Parallel_amendments_each_answer_their_own_version_or_409_and_the_history_stays_contiguous()
    {
        var code = await service.IssueAsync(Applications.Valid("阿图什市并发测试有限公司"));
        var winners = new List<Winner>();
        // One burst of 20; a second when only one request won, so that stale ETags can be tried below.
        for (var burst = 0; burst < 5 && winners.Count < 2; burst++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(i => AmendAsync(code, $"阿图什市并发路 {burst}-{i} 号", null)));

            foreach (var (domicile, status, body, etag) in answers)
            {
                Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{domicile}: {(int)status} {body}");
                if (status == HttpStatusCode.OK)
                {
                    Assert.Equal(domicile, body.GetProperty("domicile").GetString());
                    Assert.False(string.IsNullOrEmpty(etag), "A change answers with the ETag of what it committed.");
                    winners.Add(new Winner(body.GetProperty("version").GetInt32(), domicile, etag!));
                }
                else
                {
                    Assert.Equal("urn:elicence:problem:conflict", body.GetProperty("type").GetString());
                }
            }
        }

        // Winners committed versions 2, 3, … in some order, each with its own ETag.
        Assert.Equal(Enumerable.Range(2, winners.Count), winners.Select(w => w.Version).Order());
        Assert.Equal(winners.Count, winners.Select(w => w.ETag).Distinct().Count());
        var latest = winners.MaxBy(w => w.Version)!;
        var (_, current, currentResponse) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}", service.RegistrarKey);
        Assert.Equal(latest.Version, current.GetProperty("version").GetInt32());
        Assert.Equal(latest.Domicile, current.GetProperty("domicile").GetString());
        Assert.Equal(latest.ETag, currentResponse.Headers.ETag?.ToString());

        // A stale ETag is refused with 412; only the latest one may still change the licence.
        foreach (var stale in winners.Where(w => w != latest))
        {
            var (_, status, body, _) = await AmendAsync(code, "阿图什市过期路 " + stale.Version + " 号", stale.ETag);
            Assert.True(status == HttpStatusCode.PreconditionFailed, $"If-Match of version {stale.Version}: {(int)status} {body}");
        }

        var (finalDomicile, finalStatus, finalBody, _) = await AmendAsync(code, "阿图什市最终路 1 号", latest.ETag);
        Assert.Equal(HttpStatusCode.OK, finalStatus);
        Assert.Equal(latest.Version + 1, finalBody.GetProperty("version").GetInt32());
        Assert.Equal(finalDomicile, finalBody.GetProperty("domicile").GetString());

        // The history: events 1..n without a gap, one "amended" per committed version, versions 1..latest+1 without a gap.
        var (_, history, _) = await service.SendAsync(HttpMethod.Get, $"/api/v1/licences/{code}/history", service.RegistrarKey);
        var events = history.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e.GetProperty("sequence").GetInt32()));
        Assert.Equal(winners.Count + 2, events.Count); // issued + each winner + the final amendment
        Assert.Equal(Enumerable.Range(1, latest.Version + 1), events.Select(e => e.GetProperty("version").GetInt32()));
    }

    private async Task<(string Domicile, HttpStatusCode Status, JsonElement Body, string? ETag)> AmendAsync(string code, string domicile, string? ifMatch)
    {
        using var request = service.Request(HttpMethod.Post, $"/api/v1/licences/{code}/amendments", service.RegistrarKey, new { domicile, reason = "住所变更：" + domicile });
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await service.Http.SendAsync(request);
        return (domicile, response.StatusCode, await Json.ReadAsync(response), response.Headers.ETag?.ToString());
    }

    private sealed record Winner(int Version, string Domicile, string ETag);
}
