namespace ELicence.Core.UnitTests.Fakes;

/// <summary>A clock stopped at one instant that counts how often it is read.</summary>
internal sealed class CountingTimeProvider(DateTimeOffset now) : TimeProvider
{
    private int _reads;

    public int Reads => _reads;

    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow()
    {
        Interlocked.Increment(ref _reads);
        return Now;
    }
}
