namespace ELicence.IntegrationTests;

/// <summary>
/// Test data made once per test run over the shared service and reused by every test of a class (xunit makes a new
/// instance of a test class for each test): an issued licence, keys, a receipt.
/// </summary>
internal sealed class OncePerRun<T>
    where T : class
{
    private readonly Lock _gate = new();
    private Task<T>? _made;

    /// <summary>The one value, made by the first caller; a failure to make it fails every test that needs it.</summary>
    public Task<T> GetAsync(Func<Task<T>> make)
    {
        lock (_gate)
        {
            return _made ??= make();
        }
    }
}
