using ELicence.Core.Callers;
namespace ELicence.Core.Licences;

/// <summary>Marks active licences whose operating term has ended as expired (verification already says so before this runs).</summary>
public sealed class OperatingTermTimer(ILicenceStore licences, LicenceChangeCommitter committer)
{
    public async Task<int> ExpireEndedTermsAsync(CancellationToken cancellationToken)
    {
        var now = committer.Time.GetUtcNow();
        var today = ChinaTime.DateOf(now);
        var expired = 0;
        await foreach (var licence in licences.FindByStatusAsync(LicenceStatus.Active, cancellationToken))
        {
            if (!licence.Details.OperatingTerm.HasEndedBy(today))
            {
                continue;
            }

            var updated = licence with { Status = LicenceStatus.Expired, StatusDetail = licence.EffectiveStatusDetail(today) with { Since = now } };
            if (await committer.TryCommitAsync(new PlannedChange(Actor.ExpiryTimer, licence, updated, "expired", "The operating term has ended."), cancellationToken) is not null)
            {
                expired++;
            }
        }

        return expired;
    }
}
