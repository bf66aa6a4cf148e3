using BenchmarkDotNet.Attributes;
using ELicence.Core.StatusLists;

namespace ELicence.Benchmarks;

/// <summary>
/// One W3C Bitstring Status List of <see cref="BitstringStatusList.Length"/> (131,072) entries, 1 % of them set (revoked or
/// suspended), as published: bitstring, GZIP, multibase base64url. Encoding runs when a list is published (a timer), not per
/// verification; the online check reads the status from the licence row and decodes no list. Decoding is what an offline
/// verifier pays per list it loads.
/// </summary>
[MemoryDiagnoser]
public class StatusListBenchmarks
{
    private BitstringStatusList _list = null!;
    private string _encoded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _list = new BitstringStatusList();
        var random = new Random(11);
        for (var i = 0; i < BitstringStatusList.Length / 100; i++)
        {
            _list[random.Next(BitstringStatusList.Length)] = true;
        }

        _encoded = _list.Encode();
        Console.WriteLine($"// encoded list: {_encoded.Length} characters");
    }

    [Benchmark(Baseline = true)]
    public string StatusListEncoding() => _list.Encode();

    [Benchmark]
    public bool StatusListDecoding() => BitstringStatusList.Decode(_encoded)[0];
}
