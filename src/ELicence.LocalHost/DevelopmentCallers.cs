using System.Globalization;
using ELicence.Core.Callers;
using ELicence.Core.Verifiers;
using Microsoft.Extensions.Hosting;

namespace ELicence.LocalHost;

/// <summary>
/// At every start of the local host: a registrar (clerk) key, a supervisor's key (who approves revocations another proposed), and a key for each of two demo verifier organisations (a bank and the
/// tendering platform, with the same ids every time), printed and written to .local/dev-keys.env so a newcomer can `source`
/// it. Only hashes are stored, so earlier keys cannot be shown again: registrar keys stay valid; of a demo verifier's keys
/// the previous one stays valid and older ones are revoked (an organisation has at most two active keys).
/// </summary>
public sealed class DevelopmentCallers(ApiKeyService keys, VerifierService verifiers, TimeProvider time, LocalHostSettings settings) : IHostedService
{
    public const string DemoBankId = "vrf_00000000000000000000000000000001";
    public const string DemoTenderingPlatformId = "vrf_00000000000000000000000000000002";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var registrar = await keys.CreateRegistrarKeyAsync("registrar:atushi-amr", "阿图什市市场监督管理局 登记员 (local)", RegistrarRole.Clerk, cancellationToken);
        var supervisor = await keys.CreateRegistrarKeyAsync("registrar:atushi-amr", "阿图什市市场监督管理局 科长 (local)", RegistrarRole.Supervisor, cancellationToken);
        var bank = await DemoKeyAsync(new(DemoBankId, "Demo Bank of Atushi (local)", VerifierKind.Bank, time.GetUtcNow()), cancellationToken);
        var tender = await DemoKeyAsync(new(DemoTenderingPlatformId, "Atushi Public Tendering Platform (local)", VerifierKind.TenderingPlatform, time.GetUtcNow()), cancellationToken);
        var lines = string.Create(CultureInfo.InvariantCulture, $"""
            export ELICENCE_REGISTRAR_KEY={registrar.Key}
            export ELICENCE_SUPERVISOR_KEY={supervisor.Key}
            export ELICENCE_VERIFIER_KEY={bank.Key}
            export ELICENCE_TENDER_KEY={tender.Key}
            export ELICENCE_BANK_ID={DemoBankId}
            export ELICENCE_TENDER_ID={DemoTenderingPlatformId}

            """);
        Console.WriteLine("Development API keys (send as X-API-Key):");
        Console.Write(lines);
        if (!string.IsNullOrEmpty(settings.DevKeysFile))
        {
            var path = Path.Combine(RepositoryFiles.Root(), settings.DevKeysFile);
            await PrivateFiles.WriteAllTextAsync(path, lines, cancellationToken);
            Console.WriteLine($"Written to {path}: run `source {settings.DevKeysFile}` in your shell.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A new key of the demo organisation (created if missing), after revoking its oldest active keys beyond one.</summary>
    private async Task<IssuedApiKey> DemoKeyAsync(VerifierOrganisation organisation, CancellationToken cancellationToken)
    {
        await verifiers.EnsureAsync(organisation, cancellationToken);
        var active = (await verifiers.ListKeysAsync(organisation.Id, cancellationToken)).Keys.Where(k => k.Active).ToList();
        foreach (var old in active.Take(Math.Max(0, active.Count - (VerifierService.MaxActiveKeys - 1))))
        {
            await verifiers.RevokeKeyAsync(organisation.Id, old.KeyId, cancellationToken);
        }

        return await verifiers.IssueKeyAsync(organisation.Id, cancellationToken);
    }
}
