using ELicence.Core.Applications;
using ELicence.Core.Callers;
using ELicence.Core.Credentials;
using ELicence.Core.CreditCodes;
using ELicence.Core.Holders;
using ELicence.Core.KeyManagement;
using ELicence.Core.Keys;
using ELicence.Core.Licences;
using ELicence.Core.Log;
using ELicence.Core.Operations;
using ELicence.Core.Receipts;
using ELicence.Core.Signatures;
using ELicence.Core.Register;
using ELicence.Core.StatusLists;
using ELicence.Core.Usage;
using ELicence.Core.Verification;
using ELicence.Core.Verifiers;
using ELicence.Core.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ELicence.Core;

/// <summary>The core registers itself: its use cases, and its settings bound and validated when the host starts.</summary>
public static class CoreRegistration
{
    public static IServiceCollection AddELicenceCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIssuanceObserver, NoIssuanceObserver>();
        services.AddValidatedOptions<IssuerOptions>(configuration, IssuerOptions.Section);
        services.AddValidatedOptions<DeregistrationOptions>(configuration, DeregistrationOptions.Section);
        services.AddValidatedOptions<StatusListOptions>(configuration, StatusListOptions.Section);
        services.AddValidatedOptions<CreditCodeOptions>(configuration, CreditCodeOptions.Section);
        services.AddValidatedOptions<PublicPageOptions>(configuration, PublicPageOptions.Section);
        services.AddSingleton<ICreditCodeExceptions>(sp => sp.GetRequiredService<CreditCodeOptions>().ExceptionList());

        services.AddValidatedOptions<KeyRotationOptions>(configuration, KeyRotationOptions.Section);
        services.AddSingleton<KeyRingProvider>();
        services.AddSingleton<IKeyRingProvider>(sp => sp.GetRequiredService<KeyRingProvider>());
        services.AddSingleton<CredentialReissue>();
        services.AddSingleton<ReissueJobs>();
        services.AddSingleton<KeyAdministration>();
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<ApplicationService>();
        services.AddSingleton<IssuanceService>();
        services.AddSingleton<LicenceQueries>();
        services.AddSingleton<LicenceChangeCommitter>();
        services.AddSingleton<LicenceEventDispatcher>();
        services.AddValidatedOptions<AnnualReports.AnnualReportOptions>(configuration, AnnualReports.AnnualReportOptions.Section);
        services.AddSingleton<AnnualReports.AnnualReportService>();
        services.AddSingleton<AnnualReports.AnnualReportTimer>();
        services.AddSingleton<IReinstatementCheck, AnnualReports.AnnualReportReinstatementCheck>();
        services.AddSingleton<RegistrarActions>();
        services.AddValidatedOptions<Proposals.FourEyesOptions>(configuration, Proposals.FourEyesOptions.Section);
        services.AddSingleton<Proposals.ProposalService>();
        services.AddSingleton<SimplifiedDeregistration>();
        services.AddSingleton<OperatingTermTimer>();
        services.AddSingleton<StatusListService>();
        services.AddValidatedOptions<VerificationOptions>(configuration, VerificationOptions.Section);
        services.AddSingleton<LicenceChecker>();
        services.AddSingleton<Presentations.PresentationChecker>();
        services.AddSingleton<VerificationService>();
        services.AddSingleton<Presentations.SdJwtVcIssuer>();
        services.AddSingleton<Presentations.QuickPresentations>();
        services.AddSingleton<Wallets.WalletCopyIssuer>();
        services.AddSingleton<Wallets.WalletIssuance>();
        services.AddSingleton<BatchVerificationService>();
        services.AddSingleton<ReceiptQueries>();
        services.AddSingleton<VerifierService>();
        services.AddSingleton<HolderKeyService>();
        services.AddSingleton<UsageQueries>();
        services.AddSingleton<LicenceSigning>();
        services.AddSingleton<SignatureVerification>();
        services.AddSingleton<HealthService>();
        services.AddRegister(configuration);
        services.AddWebhooks(configuration);
        services.AddTransparencyLog(configuration);
        return services;
    }

    /// <summary>The public register: search and its index, the change feed, snapshots and deltas.</summary>
    private static void AddRegister(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RegisterOptions>(configuration, RegisterOptions.Section);
        services.AddSingleton<RegisterIndexer>();
        services.AddSingleton<ILicenceEventSubscriber>(sp => sp.GetRequiredService<RegisterIndexer>());
        services.AddSingleton<ChangeFeedWriter>();
        services.AddSingleton<ILicenceEventSubscriber>(sp => sp.GetRequiredService<ChangeFeedWriter>());
        services.AddSingleton<RegisterSearch>();
        services.AddSingleton<ChangeFeedReader>();
        services.AddSingleton<RegisterFiles>();
    }

    /// <summary>Binds <typeparamref name="T"/> to its section, validates its data annotations when the host starts, and registers the value.</summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services;
    }
}
