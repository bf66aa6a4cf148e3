using ELicence.Core.Keys;
using ELicence.Core.Log;
using ELicence.Tlog;

namespace ELicence.Core.UnitTests.Log;

/// <summary>Key rotations are not licence events: every change of the ring puts the ring's key events into the log.</summary>
public sealed class KeyEventLogTests : IDisposable
{
    private readonly InMemoryLog _log = new();
    private readonly KeyRingProvider _provider = new(new InMemoryKeyRingStore(), TimeProvider.System);

    public void Dispose() => _provider.Dispose();

    [Fact]
    public async Task Each_key_s_announcement_and_activation_are_logged_with_public_data_only()
    {
        var (ring, _) = await new KeyEventLog(_provider, _log).UpdateAsync(_ => null, default);

        foreach (var key in ring.Keys)
        {
            Assert.Contains($"key:{key.KeyId}:announced", _log.Pending.Keys);
            Assert.Contains($"key:{key.KeyId}:active", _log.Pending.Keys);
            var entry = Encoding.UTF8.GetString(_log.Pending[$"key:{key.KeyId}:active"]);
            Assert.Equal($"{{\"alg\":\"{key.Alg}\",\"at\":\"{key.ActivatedAt!.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'}\",\"kid\":\"{key.KeyId}\",\"kind\":\"key-event\",\"state\":\"active\"}}", entry);
            Assert.DoesNotContain(Convert.ToBase64String(key.Seed), entry, StringComparison.Ordinal);
            Assert.Equal($"key:{key.KeyId}:active", LogEntries.LeafIdOf(_log.Pending[$"key:{key.KeyId}:active"]));
        }
    }

    [Fact]
    public async Task A_rotation_and_a_compromise_add_their_events_and_the_earlier_ones_are_not_appended_twice()
    {
        var editor = new KeyEventLog(_provider, _log);
        var signer = new NoteSigner("elicence.test/log", new byte[32]);
        var sequencer = new LogSequencer(_log, _log, signer, signer.Name);
        await editor.UpdateAsync(_ => null, default);
        var first = await sequencer.SequenceBatchAsync(default);

        var (rotated, changed) = await editor.UpdateAsync(r => KeyRotation.AnnounceNow(r, SigningKey.EdDsa, DateTimeOffset.UtcNow), default);
        var announced = rotated.Keys.Single(k => k.State == KeyState.Announced);
        var (_, compromised) = await editor.UpdateAsync(r => KeyRotation.Compromise(r, announced, DateTimeOffset.UtcNow), default);
        var second = await sequencer.SequenceBatchAsync(default);

        Assert.True(changed && compromised);
        Assert.Equal(first.Size + 2, second.Size); // the successor's announcement and its compromise; nothing earlier again
        Assert.Contains($"key:{announced.KeyId}:compromised", _log.Indexes.Keys);
        Assert.Empty(_log.Pending);
    }
}
