using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ELicence.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/ELicence.Benchmarks -- register 100000 "<Azurite connection string>"
// dotnet run -c Release --project bench/ELicence.Benchmarks -- interleaved 12
if (args.Length > 0 && args[0] == "register")
{
    return await RegisterLoad.RunAsync(args);
}

if (args.Length > 0 && args[0] == "interleaved")
{
    return ELicence.Benchmarks.InterleavedRatio.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
