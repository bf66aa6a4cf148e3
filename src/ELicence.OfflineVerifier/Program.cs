using ELicence.OfflineVerifier;

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
return args is ["receipt", ..]
    ? await ReceiptCommand.RunAsync(args, http, Console.Out, Console.Error, TimeProvider.System, CancellationToken.None)
    : await VerifyCommand.RunAsync(args, http, Console.Out, Console.Error, TimeProvider.System, CancellationToken.None);
