using ELicence.Core.UnitTests.Fakes;

namespace ELicence.Core.UnitTests;

public class LicenceEventDispatcherTests
{
    private readonly InMemoryRegister _register = new();
    private readonly RecordingEventQueue _queue = new();

    [Fact]
    public async Task Every_committed_event_reaches_every_subscriber_in_order_and_then_leaves_the_outbox()
    {
        var (first, second) = (new Recorder(), new Recorder());
        var code = await TwoChangesAsync();

        await Dispatcher(first, second).DispatchAsync(code, default);
        await Dispatcher(first, second).DispatchAsync(code, default); // a duplicate nudge hands nothing again

        Assert.Equal(["2 suspended", "3 reinstated"], first.Seen);
        Assert.Equal(first.Seen, second.Seen);
        Assert.Empty(await _register.Licences.GetPendingAsync(code, default));
    }

    [Fact]
    public async Task A_failing_subscriber_keeps_the_event_and_every_later_one_pending_so_a_retry_delivers_them_in_order()
    {
        var recorder = new Recorder();
        var failing = new Recorder { FailOnceAt = 2 };
        var code = await TwoChangesAsync();

        await Assert.ThrowsAsync<IOException>(() => Dispatcher(recorder, failing).DispatchAsync(code, default));
        Assert.Equal([2, 3], await _register.Licences.GetPendingAsync(code, default));

        await Dispatcher(recorder, failing).DispatchAsync(code, default);

        Assert.Equal(["2 suspended", "2 suspended", "3 reinstated"], recorder.Seen); // at least once, never out of order
        Assert.Equal(["2 suspended", "3 reinstated"], failing.Seen);
        Assert.Empty(await _register.Licences.GetPendingAsync(code, default));
    }

    [Fact]
    public async Task The_sweep_resends_only_licences_whose_events_waited_longer_than_the_nudge_should_take()
    {
        var code = await TwoChangesAsync();
        var dispatcher = Dispatcher();

        await dispatcher.SweepAsync(default);
        Assert.Empty(_queue.Sent);

        _register.Clock.Advance(LicenceEventDispatcher.StaleAfter + TimeSpan.FromSeconds(1));
        await dispatcher.SweepAsync(default);
        Assert.Equal([code], _queue.Sent);

        await dispatcher.DispatchAsync(code, default);
        await dispatcher.SweepAsync(default);
        Assert.Single(_queue.Sent);
    }

    private async Task<CreditCode> TwoChangesAsync()
    {
        var code = _register.Seed(LicenceStatus.Active).Code;
        await _register.Actions.SuspendAsync(InMemoryRegister.Registrar, code.Value, new(AbnormalOperationsReason.AnnualReportNotFiled, "未报"), null, default);
        await _register.Actions.ReinstateAsync(InMemoryRegister.Registrar, code.Value, new("已补报"), null, default);
        return code;
    }

    private LicenceEventDispatcher Dispatcher(params ILicenceEventSubscriber[] subscribers) =>
        new(_register.Licences, _register.Licences, subscribers, _queue, _register.Clock);

    private sealed class Recorder : ILicenceEventSubscriber
    {
        public List<string> Seen { get; } = [];

        public int? FailOnceAt { get; set; }

        public string Name => "recorder";

        public Task HandleAsync(LicenceEventNotice notice, CancellationToken cancellationToken)
        {
            if (notice.Event.Sequence == FailOnceAt)
            {
                FailOnceAt = null;
                throw new IOException("subscriber down");
            }

            Seen.Add($"{notice.Event.Sequence} {notice.Event.Type}");
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingEventQueue : ILicenceEventQueue
    {
        public List<CreditCode> Sent { get; } = [];

        public Task EnqueueAsync(CreditCode code, CancellationToken cancellationToken)
        {
            Sent.Add(code);
            return Task.CompletedTask;
        }
    }
}
