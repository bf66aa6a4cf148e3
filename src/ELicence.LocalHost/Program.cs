using ELicence.LocalHost;

await using var azurite = await AzuriteProcess.StartIfNeededAsync(LocalHostSettings.Read(args), Console.Out);
var app = LocalFunctionsHost.Build(args);
await app.RunAsync();
