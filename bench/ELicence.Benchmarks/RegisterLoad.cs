using System.Diagnostics;
using System.Globalization;
using ELicence.Core.CreditCodes;
using ELicence.Core.Licences;
using ELicence.Core.Register;
using ELicence.Storage;
using ELicence.Storage.Register;

/// <summary>
/// The register-search benchmark against a real Table endpoint (Azurite locally): bulk-loads the index rows of N synthetic
/// licences with <see cref="RegisterIndexStore.BulkLoadAsync"/>, then times a mix of searches against a point read.
/// <c>dotnet run -c Release --project bench/ELicence.Benchmarks -- register [licences] [connection string]</c>
/// </summary>
internal static class RegisterLoad
{
    private const int LoadBatch = 5_000;
    private const int Searches = 400;
    private static readonly string[] Cities = ["阿图什市", "喀什市", "乌鲁木齐市", "伊宁市", "和田市", "阿克苏市", "库尔勒市", "哈密市"];
    private static readonly string[] Trades = ["果业", "农业", "商贸", "物流", "建材", "餐饮", "科技", "纺织", "旅游", "畜牧"];
    private static readonly string[] Words = ["Tianshan", "Pamir", "Silk", "Oasis", "Kunlun", "Tarim", "Altay", "Ili"];
    private const string Syllables = "天山昆仑帕米尔丝路绿洲塔里木阿勒泰伊犁金红石榴葡萄雪莲玉龙湖鹰白杨胡杨沙棘枣瓜棉麦";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var connection = args.Length > 2 ? args[2] : "UseDevelopmentStorage=true";
        var storage = new StorageClients(new StorageOptions { ConnectionString = connection }, () => throw new InvalidOperationException("Give a connection string."));
        await storage.Tables.DeleteTableAsync(StorageNames.RegisterIndexTable);
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.RegisterIndexTable);
        var index = new RegisterIndexStore(storage);
        var licences = Enumerable.Range(0, count).Select(Licence).ToList();

        var build = Stopwatch.StartNew();
        var loaded = 0;
        foreach (var batch in licences.Chunk(LoadBatch))
        {
            await index.BulkLoadAsync(batch, default);
            loaded += batch.Length;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {loaded} in {build.Elapsed.TotalSeconds:F0} s"));
        }

        build.Stop();
        var rows = licences.Sum(l => l.Terms().Count + 1);

        var search = new RegisterSearch(index, new RegisterOptions());
        var random = new Random(14);
        var queries = Enumerable.Range(0, Searches).Select(i =>
        {
            var l = licences[random.Next(licences.Count)];
            return (i % 4) switch
            {
                0 => l.Name.Substring(l.Name.Length - 8, 4), // part of a Chinese name: syllables and trade
                1 => l.Name,                                  // an exact name
                2 => l.CreditCode[6..14],                     // a code fragment
                _ => l.NameEn!.Split(' ')[0] + " " + l.NameEn.Split(' ')[1], // English words
            };
        }).ToList();
        foreach (var q in queries.Take(20))
        {
            await search.SearchAsync(new RegisterSearchRequest(q), default); // warm-up
        }

        var searchTimes = new List<double>();
        var pointTimes = new List<double>();
        var failures = 0;
        foreach (var q in queries)
        {
            var sw = Stopwatch.StartNew();
            try
            {
                await search.SearchAsync(new RegisterSearchRequest(q), default);
            }
            catch (ELicence.Core.Problems.ProblemException)
            {
                failures++; // a query too broad to rank is refused, not scanned: counted, still timed
            }

            searchTimes.Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            await index.FindMarkAsync(CreditCode.FromStored(licences[random.Next(licences.Count)].CreditCode), default);
            pointTimes.Add(sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"licences {count}, index rows {rows}, build {build.Elapsed.TotalSeconds:F1} s ({rows / build.Elapsed.TotalSeconds:F0} rows/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"search over {Searches} queries: p50 {P(searchTimes, 0.5):F1} ms, p95 {P(searchTimes, 0.95):F1} ms, refused as too broad {failures}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"point read baseline: p50 {P(pointTimes, 0.5):F1} ms, p95 {P(pointTimes, 0.95):F1} ms; search p95 / point-read p95 = {P(searchTimes, 0.95) / P(pointTimes, 0.95):F1}"));
        return 0;
    }

    private static double P(List<double> times, double q)
    {
        var sorted = times.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
    }

    /// <summary>A synthetic licence: city + two to three syllables + a trade + 有限公司, a valid credit code, an English name.</summary>
    internal static IndexedLicence Licence(int i)
    {
        var r = new Random(i);
        var core = string.Concat(Enumerable.Range(0, 2 + (i % 2)).Select(_ => Syllables[r.Next(Syllables.Length)]));
        var trade = Trades[r.Next(Trades.Length)];
        var name = $"{Cities[r.Next(Cities.Length)]}{core}{trade}有限公司";
        var code = CreditCode.Compose('9', '1', "653001", i.ToString("D8", CultureInfo.InvariantCulture)).Value;
        var english = $"{Words[r.Next(Words.Length)]} {Words[r.Next(Words.Length)]} {i.ToString(CultureInfo.InvariantCulture)} Co., Ltd.";
        return new IndexedLicence(code, name, english, [], EntityType.LimitedLiabilityCompany, LicenceStatus.Active);
    }
}
