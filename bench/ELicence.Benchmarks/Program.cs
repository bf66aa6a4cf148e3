using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ELicence.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
