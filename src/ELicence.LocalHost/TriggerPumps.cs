using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Cronos;
using ELicence.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ELicence.LocalHost;

/// <summary>
/// Runs the queue-triggered functions against Azurite with the Functions semantics: messages base64-encoded, hidden while
/// processed, deleted on success, made visible again after the visibility timeout on failure, and moved to
/// <c>{queue}-poison</c> after maxDequeueCount attempts.
/// </summary>
public sealed class QueueTriggerPump(FunctionCatalog catalog, StorageClients storage, IServiceProvider services, LocalHostSettings settings, IConfiguration configuration, ILogger<QueueTriggerPump> logger) : BackgroundService
{
    /// <summary>How long a message stays hidden while a function works on it.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>Messages fetched at a time, as the Functions host's default queues.batchSize.</summary>
    private const int BatchSize = 16;

    /// <summary>A new batch is fetched once no more than this many messages are in work (queues.newBatchThreshold's default, batchSize / 2).</summary>
    private const int NewBatchThreshold = BatchSize / 2;

    /// <summary>The first wait after an empty poll; it doubles on each further empty poll up to <see cref="LocalHostSettings.QueuePollInterval"/>.</summary>
    private static readonly TimeSpan FirstIdleDelay = TimeSpan.FromMilliseconds(10);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Functions
            .Where(f => f.Trigger is QueueFunctionTrigger)
            .Select(f => (Function: f, Queue: SettingExpressions.Resolve(((QueueFunctionTrigger)f.Trigger).QueueName, configuration, f.Name)))
            .ToList()
            .Select(q => PumpAsync(q.Function, q.Queue, stoppingToken)));

    /// <summary>
    /// Keeps up to <see cref="BatchSize"/> + <see cref="NewBatchThreshold"/> messages in work, fetching more as soon as some
    /// finish (no waiting for the slowest of a batch), and polls an idle queue with a back-off that resets on work: a burst
    /// is drained without pauses, an idle queue costs a poll per <see cref="LocalHostSettings.QueuePollInterval"/>.
    /// </summary>
    private async Task PumpAsync(FunctionDescriptor function, string queueName, CancellationToken stoppingToken)
    {
        var queue = storage.Queue(queueName);
        var poison = storage.Queue(queueName + "-poison");
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        var working = new List<Task>();
        var idle = FirstIdleDelay;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                working.RemoveAll(t => t.IsCompleted);
                if (working.Count > NewBatchThreshold)
                {
                    await Task.WhenAny(working);
                    continue;
                }

                try
                {
                    QueueMessage[] messages = await queue.ReceiveMessagesAsync(BatchSize, Lease, stoppingToken);
                    if (messages.Length > 0)
                    {
                        idle = FirstIdleDelay;
                        working.AddRange(messages.Select(m => ProcessLoggedAsync(function, queue, poison, m, stoppingToken)));
                        continue;
                    }

                    // Nothing to fetch: wait for the back-off, or less if a message in work finishes (then fetch again at once).
                    await Task.WhenAny([Task.Delay(idle, stoppingToken), .. working]);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, Math.Max(settings.QueuePollInterval.Ticks, FirstIdleDelay.Ticks)));
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Polling queue {Queue} failed; retrying", queueName);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        finally
        {
            await Task.WhenAll(working);
        }
    }

    /// <summary>Handles one message; what goes wrong even in the failure handling is logged, and the message reappears after its lease.</summary>
    private async Task ProcessLoggedAsync(FunctionDescriptor function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await ProcessAsync(function, queue, poison, message, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Handling message {MessageId} of {Queue} failed; it is retried when its lease ends", message.MessageId, queue.Name);
        }
    }

    private async Task ProcessAsync(FunctionDescriptor function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await FunctionInvoker.InvokeQueueAsync(function, services, message.Body, stoppingToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= catalog.HostJson.MaxDequeueCount)
            {
                logger.LogError(e, "{Function} failed {Count} times on message {MessageId}; moving it to {Poison}", function.Name, message.DequeueCount, message.MessageId, poison.Name);
                await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                await poison.SendMessageAsync(message.Body, cancellationToken: stoppingToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
            }
            else
            {
                logger.LogWarning(e, "{Function} failed on message {MessageId} (attempt {Count}); it will be retried", function.Name, message.MessageId, message.DequeueCount);
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.QueueRetryDelay ?? catalog.HostJson.VisibilityTimeout, cancellationToken: stoppingToken);
            }
        }
    }
}

/// <summary>
/// Runs the timer-triggered functions on their NCRONTAB schedules (six fields, seconds first, UTC), <c>%Setting%</c>
/// expressions resolved from the app settings. The schedules are read before the first run, so a missing or malformed
/// one stops the host at start.
/// </summary>
public sealed class TimerTriggerPump(FunctionCatalog catalog, IServiceProvider services, TimeProvider time, IConfiguration configuration, ILogger<TimerTriggerPump> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Functions
            .Where(f => f.Trigger is TimerFunctionTrigger)
            .Select(f => (Function: f, Trigger: (TimerFunctionTrigger)f.Trigger, Schedule: Schedule(f, (TimerFunctionTrigger)f.Trigger)))
            .ToList()
            .Select(t => RunAsync(t.Function, t.Trigger, t.Schedule, stoppingToken)));

    private CronExpression Schedule(FunctionDescriptor function, TimerFunctionTrigger trigger)
    {
        var expression = SettingExpressions.Resolve(trigger.Schedule, configuration, function.Name);
        return CronExpression.TryParse(expression, CronFormat.IncludeSeconds, out var schedule)
            ? schedule
            : throw new InvalidOperationException($"{function.Name}: '{expression}' is not an NCRONTAB schedule of six fields (seconds first).");
    }

    private async Task RunAsync(FunctionDescriptor function, TimerFunctionTrigger trigger, CronExpression schedule, CancellationToken stoppingToken)
    {
        DateTime? last = null;
        if (trigger.RunOnStartup)
        {
            await FireAsync(function, null, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var next = schedule.GetNextOccurrence(now, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }

            try
            {
                await Task.Delay(next.Value - now, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await FireAsync(function, last, stoppingToken);
            last = next;
        }
    }

    private async Task FireAsync(FunctionDescriptor function, DateTime? last, CancellationToken stoppingToken)
    {
        try
        {
            var info = new TimerInfo { IsPastDue = false, ScheduleStatus = new ScheduleStatus { Last = last ?? default, LastUpdated = time.GetUtcNow().UtcDateTime } };
            await FunctionInvoker.InvokeTimerAsync(function, services, info, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(e, "Timer function {Function} failed", function.Name);
        }
    }
}
