using ELicence.Storage;

namespace ELicence.IntegrationTests;

/// <summary>The licence-event outbox over Azurite: every committed event reaches the subscribers once the relay runs, even when the nudge after the commit is lost.</summary>
[Collection(LifecycleCollection.Name)]
public class LicenceEventTests(LifecycleFixture service)
{
    [Fact]
    public async Task Issuance_and_each_change_reach_the_subscribers_in_order_and_leave_no_outbox_row()
    {
        var code = await service.IssueAsync();
        await service.ActAsync(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告" });
        await service.ActAsync(code, "reinstatement", new { reason = "已补报" });

        await Eventually(async () => service.Events.Of(code).Count >= 3 && (await OutboxRows(code)) == 0);

        Assert.Equal([(1, "issued"), (2, "suspended"), (3, "reinstated")], service.Events.Of(code).Distinct());
    }

    [Fact]
    public async Task A_change_whose_nudge_was_lost_stays_in_the_outbox_until_the_sweep_hands_it_over()
    {
        var code = await service.IssueAsync();
        await Eventually(async () => (await OutboxRows(code)) == 0);

        service.LoseEventNudges = true;
        try
        {
            await service.ActAsync(code, "suspension", new { reasonCode = "annual-report-not-filed", reason = "未按期公示年度报告" });
            Assert.Equal(1, await OutboxRows(code)); // committed, pending, and no message to hand it over
        }
        finally
        {
            service.LoseEventNudges = false;
        }

        await service.AdvanceUntilAsync(TimeSpan.FromMinutes(1), async () => (await OutboxRows(code)) == 0);

        Assert.Equal([(1, "issued"), (2, "suspended")], service.Events.Of(code).Distinct());
    }

    private async Task<int> OutboxRows(string code) =>
        (await service.QueryAsync(StorageNames.LicencesTable, $"PartitionKey eq '{code}' and RowKey ge 'outbox-' and RowKey lt 'outbox.'")).Count;

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail("The events did not reach the subscribers.");
    }
}
