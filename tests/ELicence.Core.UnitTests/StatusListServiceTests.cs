namespace ELicence.Core.UnitTests;

/// <summary>The debounce of status list publishing (the integration tests run the same service over Azurite).</summary>
public class StatusListServiceTests
{
    private readonly ScriptedStatusListStore _store = new();
    private readonly RecordingStatusListQueue _queue = new();
    private readonly InMemoryLicenceStore _licences = new();
    private readonly StatusListService _service;

    public StatusListServiceTests()
    {
        var ring = KeyRing.CreateNew(DateTimeOffset.UnixEpoch);
        _service = new StatusListService(_licences, _store, _queue, new FixedKeyRing(ring), new IssuerOptions(), new StatusListOptions(), new FakeTimeProvider());
    }

    [Fact]
    public async Task A_burst_of_changes_queues_one_publish_and_a_change_during_publishing_queues_exactly_one_more()
    {
        var licence = _licences.Seed(Builders.Licence());

        for (var i = 0; i < 10; i++)
        {
            await _service.SyncAsync(licence.Code, default);
        }

        Assert.Equal(1, _queue.Publishes);
        _store.OnSave = () => _store.Changes++; // a change arrives while the list is being published
        await _service.PublishAsync(1, default);
        Assert.Equal(2, _queue.Publishes);
        _store.OnSave = null;
        await _service.PublishAsync(1, default);
        await _service.PublishAsync(1, default); // a duplicate delivery publishes nothing
        Assert.Equal(2, _queue.Publishes);
        Assert.Equal(2, _store.Saves / 2);
    }

    [Fact]
    public async Task A_superseded_version_is_revoked_in_the_list_and_the_current_one_carries_the_suspension()
    {
        var v1 = Builders.Licence();
        var v2 = v1 with { Version = 2, StatusListIndex = v1.StatusListIndex + 1, Status = LicenceStatus.Suspended };
        _licences.Seed(v2);
        _licences.SeedEarlierVersion(v1);

        await _service.SyncAsync(v1.Code, default);

        Assert.Equal([(true, false), (false, true)], _store.Entries.Select(e => (e.Revoked, e.Suspended)));
    }

    [Theory]
    [InlineData("revocation", "00")]
    [InlineData("revocation", "+0")]
    [InlineData("revocation", " 0")]
    [InlineData("Revocation", "0")]
    [InlineData("suspension", "-1")]
    public async Task A_status_list_has_one_url_and_its_aliases_are_not_found(string purpose, string list)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => _service.GetPublishedAsync(purpose, list, default));

        Assert.Equal(ProblemType.NotFound, problem.Type);
    }
}
