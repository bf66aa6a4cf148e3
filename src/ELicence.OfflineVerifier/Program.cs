using ELicence.OfflineVerifier;

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
return args switch
{
    ["audit", ..] => await AuditCommand.RunAsync(args, http, Console.Out, Console.Error, CancellationToken.None),
    ["receipt", ..] => await ReceiptCommand.RunAsync(args, http, Console.Out, Console.Error, TimeProvider.System, CancellationToken.None),
    _ => await VerifyCommand.RunAsync(args, http, Console.Out, Console.Error, TimeProvider.System, CancellationToken.None),
};
