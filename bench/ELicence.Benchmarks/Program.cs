using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ELicence.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/ELicence.Benchmarks -- register 100000 "<Azurite connection string>"
if (args.Length > 0 && args[0] == "register")
{
    return await RegisterLoad.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
