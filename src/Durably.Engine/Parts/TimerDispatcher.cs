using Durably.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Durably.Engine;

/// <summary>
/// The dispatcher: sleeps until the earliest timer is due (or it is woken), then fires the due timers, concurrently
/// across executions and in order within one; starts invocations through <see cref="InvocationRunner"/>, purges expired
/// executions and pushes back timers that fail.
/// </summary>
internal sealed class TimerDispatcher(
    ExecutionCommitter commits, InvocationRunner invocations, FunctionRegistry functions, DurablyOptions options, TimeProvider time, ActivityTracker activity, ILogger logger,
    CancellationTokenSource stopSource) : IAsyncDisposable
{
    private const int TimerBatchSize = 256;
    private static readonly TimeSpan MaxSleep = TimeSpan.FromDays(1);

    private readonly SemaphoreSlim _wakeSignal = new(0);
    private int _signaled;
    private Task? _loop;
    private IDisposable? _timerChanges;

    /// <summary>True while the dispatcher runs: only then may a change claim the invocation it makes due.</summary>
    public bool IsDispatching => _loop is not null && !stopSource.IsCancellationRequested;

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// Starts the dispatcher that fires due timers and starts invocations; first, with
    /// <see cref="DurablyOptions.ReclaimLeasesOnStart"/>, expires the leases a previous process left behind.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_loop is null && options.ReclaimLeasesOnStart)
        {
            int reclaimed = await commits.Store.ExpireInvocationLeasesAsync(Now, cancellationToken).ConfigureAwait(false);
            if (reclaimed > 0)
            {
                logger.LeasesReclaimed(reclaimed);
            }
        }

        if (_loop is null && commits.Store is ISharedExecutionStore shared)
        {
            // Another node's start or callback may make an invocation due that this node hosts.
            _timerChanges = shared.SubscribeTimerChanges(Wake);
        }

        _loop ??= Task.Run(() => DispatchLoopAsync(stopSource.Token), CancellationToken.None);
        Wake();
    }

    /// <summary>Stops the dispatcher and cancels running invocations.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (stopSource.IsCancellationRequested)
        {
            return;
        }

        await stopSource.CancelAsync().ConfigureAwait(false);
        _timerChanges?.Dispose();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the dispatcher (the wake-up semaphore stays: a commit still in flight may wake it).</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    /// <summary>
    /// Asks the dispatcher to look for due timers now (e.g. after fake time moved). The engine counts as
    /// busy from this call until the dispatcher has processed everything due.
    /// </summary>
    public void Wake()
    {
        // Enter before publishing the flag, so the engine never looks idle between the two.
        activity.Enter();
        if (Interlocked.Exchange(ref _signaled, 1) == 1)
        {
            activity.Exit();
        }

        _wakeSignal.Release();
    }

    private async Task DispatchLoopAsync(CancellationToken stopping)
    {
        bool holding = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // A pending signal's activity is taken over by this pass and released when nothing is due.
                if (Interlocked.Exchange(ref _signaled, 0) == 1)
                {
                    if (holding)
                    {
                        activity.Exit();
                    }

                    holding = true;
                }

                DateTimeOffset claimedAt = Now;
                IReadOnlyList<TimerRecord> due = await commits.Store.ClaimDueTimersAsync(new DueTimerClaim(claimedAt, TimerBatchSize, HostedVersions()), stopping).ConfigureAwait(false);
                if (due.Count > 0)
                {
                    if (!holding)
                    {
                        activity.Enter();
                        holding = true;
                    }

                    // A full batch may have left some execution's later due timers out: claim nothing then.
                    bool complete = due.Count < TimerBatchSize;
                    await Task.WhenAll(due.GroupBy(timer => timer.ExecutionId, StringComparer.Ordinal)
                        .Select(timers => FireInOrderAsync(timers, complete, stopping))).ConfigureAwait(false);

                    continue;
                }

                if (Volatile.Read(ref _signaled) == 1)
                {
                    continue;
                }

                if (holding)
                {
                    holding = false;
                    activity.Exit();
                }

                await SleepUntilNextDueAsync(claimedAt, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The dispatcher must survive a store hiccup; the next pass retries.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.DispatcherFailed(logger, exception);
            }
        }

        if (holding)
        {
            activity.Exit();
        }
    }

    /// <summary>Sleeps until the next timer is due or a wake-up; <paramref name="claimedAt"/> is the time of the claim that found nothing.</summary>
    private async Task SleepUntilNextDueAsync(DateTimeOffset claimedAt, CancellationToken stopping)
    {
        DateTimeOffset? next = await commits.Store.GetNextDueTimeAsync(stopping).ConfigureAwait(false);
        bool shared = commits.Store is ISharedExecutionStore;
        TimeSpan? delay = next switch
        {
            // Due at the claim, yet not claimed: another node's (a version this one does not host). Looking again at once
            // would spin until that node fires it.
            { } dueAt when shared && dueAt <= claimedAt => MaxSleepTime,

            // Task.Delay refuses more than ~49.7 days (a 90-day retention, a long wait): sleep at most a day, then look again.
            { } dueAt => TimeSpan.FromTicks(Math.Clamp((dueAt - Now).Ticks, 0, MaxSleepTime.Ticks)),
            null when shared => MaxSleepTime,
            null => null,
        };
        using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Task signal = _wakeSignal.WaitAsync(sleep.Token);
        try
        {
            await (delay is { } wait ? Task.WhenAny(signal, Task.Delay(wait, time, sleep.Token)) : Task.WhenAny(signal)).ConfigureAwait(false);
        }
        finally
        {
            // Always withdraw the semaphore wait: one left behind would take the next Wake's release, and that wake-up would be lost.
            await sleep.CancelAsync().ConfigureAwait(false);
        }

        stopping.ThrowIfCancellationRequested();
    }

    /// <summary>How long the dispatcher may sleep: a day, or a shared store's poll interval (other nodes set timers too).</summary>
    private TimeSpan MaxSleepTime => commits.Store is ISharedExecutionStore shared ? shared.PollInterval : MaxSleep;

    /// <summary>The function versions this engine runs, for <see cref="DueTimerClaim.HostedVersions"/>.</summary>
    private string[] HostedVersions() => [.. functions.GetAll().Select(function => DueTimerClaim.Key(function.Name, function.Version))];

    /// <summary>
    /// Fires one execution's due timers in their order, while other executions' fire concurrently (their commits share
    /// a group commit). The last may claim the invocation it makes due: every earlier change is then already applied,
    /// as when the dispatcher fired the invoke timer after them.
    /// </summary>
    private async Task FireInOrderAsync(IEnumerable<TimerRecord> timers, bool mayClaim, CancellationToken stopping)
    {
        TimerRecord[] ordered = [.. timers];
        for (int index = 0; index < ordered.Length; index++)
        {
            await FireAsync(ordered[index], mayClaim && index == ordered.Length - 1, stopping).ConfigureAwait(false);
        }
    }

    private async Task FireAsync(TimerRecord timer, bool mayClaim, CancellationToken stopping)
    {
        Telemetry.EngineMetrics.TimerFired(Now - timer.DueAt);
        try
        {
            switch (timer.Kind)
            {
                case TimerKind.Invoke:
                    await invocations.StartInvocationAsync(timer.ExecutionId, stopping).ConfigureAwait(false);
                    break;
                case TimerKind.InvocationLease:
                    await commits.MutateAsync(timer.ExecutionId, [], workspace => InvocationTransitions.Expire(workspace, timer.Tag, Now), stopping).ConfigureAwait(false);
                    break;
                case TimerKind.ExecutionTimeout:
                    await commits.MutateAsync(timer.ExecutionId, [], workspace => ExecutionTransitions.TimeOut(workspace, Now), stopping).ConfigureAwait(false);
                    break;
                case TimerKind.Retention:
                    await PurgeIfExpiredAsync(timer.ExecutionId, stopping).ConfigureAwait(false);
                    break;
                case TimerKind.ChildCompleted:
                    ExecutionSnapshot? child = await commits.Store.LoadAsync(timer.Tag ?? "", [], stopping).ConfigureAwait(false);
                    await TriggerAsync(workspace => OperationEventTransitions.CompleteChainedInvoke(workspace, timer, child?.Execution, Now)).ConfigureAwait(false);
                    break;
                default:
                    await TriggerAsync(workspace => OperationEventTransitions.FireTimer(workspace, timer, Now)).ConfigureAwait(false);
                    break;
            }

            Task TriggerAsync(Action<ExecutionWorkspace> transition) => mayClaim
                ? invocations.MutateAndClaimAsync(timer.ExecutionId, [timer.OperationId!], transition, stopping)
                : commits.MutateAsync(timer.ExecutionId, [timer.OperationId!], transition, stopping);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            await PostponeOrDropAsync(timer, exception, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A timer that could not be processed is pushed back so it cannot spin the dispatcher; one whose execution no longer
    /// exists (a child's notice to a parent already purged) can never fire and is deleted with any others left under that id.
    /// </summary>
    private async Task PostponeOrDropAsync(TimerRecord timer, Exception exception, CancellationToken stopping)
    {
        ExecutionSnapshot? snapshot = await commits.Store.LoadAsync(timer.ExecutionId, [], stopping).ConfigureAwait(false);
        if (snapshot is null)
        {
            logger.OrphanTimersDropped(timer.ExecutionId, timer.Key);
            await commits.Store.PurgeExecutionAsync(timer.ExecutionId, expectedVersion: 0, stopping).ConfigureAwait(false);
            return;
        }

        Log.TimerFailed(logger, exception, timer.ExecutionId, timer.Key);
        var workspace = new ExecutionWorkspace(snapshot);
        workspace.SetTimer(timer with { DueAt = Now + InvocationRunner.MissingVersionRetry });
        await commits.Store.TryCommitAsync(workspace.ToChange(), stopping).ConfigureAwait(false);
    }

    /// <summary>
    /// The retention timer: purges the closed execution once its retention has ended at the engine's now; re-arms the
    /// timer when it has not (the clock moved back). A purge that lost a race leaves the timer due, so the next pass retries.
    /// </summary>
    private async Task PurgeIfExpiredAsync(string executionId, CancellationToken stopping)
    {
        ExecutionSnapshot? snapshot = await commits.Store.LoadAsync(executionId, [], stopping).ConfigureAwait(false);
        if (snapshot is null)
        {
            await commits.Store.PurgeExecutionAsync(executionId, expectedVersion: 0, stopping).ConfigureAwait(false);
            return;
        }

        ExecutionRecord execution = snapshot.Execution;
        if (!execution.IsExpiredAt(Now))
        {
            await commits.MutateAsync(executionId, [], ExecutionTransitions.ArmRetention, stopping).ConfigureAwait(false);
            return;
        }

        if (await commits.Store.PurgeExecutionAsync(executionId, execution.Version, stopping).ConfigureAwait(false))
        {
            commits.Forget(executionId);
            logger.ExecutionPurged(execution.DurableExecutionArn);
        }
    }
}
