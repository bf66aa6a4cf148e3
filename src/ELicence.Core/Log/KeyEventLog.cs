using ELicence.Core.Keys;

namespace ELicence.Core.Log;

/// <summary>
/// Every change of the key ring goes through here and then puts the ring's key events into the log's pending leaves.
/// All of them, each time (the timer advances the ring every few minutes): a crash between the ring write and the leaves is
/// repaired by the next change or timer run, and leaf ids keep each event in the log once.
/// </summary>
public sealed class KeyEventLog(IKeyRingEditor inner, IPendingLeafSink sink) : IKeyRingEditor
{
    public async Task<(KeyRing Ring, bool Changed)> UpdateAsync(Func<KeyRing, KeyRing?> change, CancellationToken cancellationToken)
    {
        var result = await inner.UpdateAsync(change, cancellationToken);
        foreach (var leaf in LogEntries.ForKeyRing(result.Ring))
        {
            await sink.AddAsync(leaf, cancellationToken);
        }

        return result;
    }
}
