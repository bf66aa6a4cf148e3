using Microsoft.Extensions.Logging.Abstractions;

namespace ELicence.IntegrationTests.Operations;

/// <summary>
/// The local host's queue pump keeps a message in work hidden with a short lease renewed at half its length, so that a
/// message whose host was killed reappears within one lease (it stayed hidden 5 minutes before: found by the chaos run).
/// </summary>
[Collection(ServiceCollection.Name)]
public class QueueLeaseTests(ServiceFixture service)
{
    [Fact]
    public async Task A_message_stays_hidden_while_its_lease_is_renewed_and_reappears_once_renewals_stop()
    {
        var queue = service.Storage.Queue($"lease-{Guid.NewGuid():N}");
        await queue.CreateAsync();
        try
        {
            await queue.SendMessageAsync("work");
            var leaseFor = TimeSpan.FromSeconds(2);
            var message = (await queue.ReceiveMessagesAsync(1, leaseFor)).Value.Single();
            var lease = new MessageLease(queue, message, leaseFor, NullLogger.Instance);
            var receipts = new HashSet<string>(StringComparer.Ordinal) { lease.PopReceipt };

            await using (lease.Renewing(default))
            {
                // Three renewals: well past the first lease, which alone would have let the message reappear.
                await Eventually.PollAsync(
                    () =>
                    {
                        receipts.Add(lease.PopReceipt);
                        return Task.FromResult(receipts.Count);
                    },
                    n => n >= 4,
                    "renewed three times");
                Assert.Empty((await queue.PeekMessagesAsync(1)).Value);
            }

            // The worker gone (no more renewals): the message comes back for another one.
            await Eventually.PollAsync(async () => (await queue.PeekMessagesAsync(1)).Value.Length, n => n == 1, "visible again");
        }
        finally
        {
            await queue.DeleteAsync();
        }
    }
}
