using Durably.Protocol;

namespace Durably.Engine;

public sealed partial class DurableEngine
{
    private const int TimerBatchSize = 256;
    private const int EnvelopePageSize = 1000;
    private static readonly TimeSpan MissingVersionRetry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxSleep = TimeSpan.FromDays(1);

    private readonly SemaphoreSlim _wakeSignal = new(0);
    private int _signaled;
    private Task? _dispatcher;
    private IDisposable? _timerChanges;

    /// <summary>
    /// Starts the dispatcher that fires due timers and starts invocations; first, with
    /// <see cref="DurablyOptions.ReclaimLeasesOnStart"/>, expires the leases a previous process left behind.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_dispatcher is null && _options.ReclaimLeasesOnStart)
        {
            int reclaimed = await _store.ExpireInvocationLeasesAsync(Now, cancellationToken).ConfigureAwait(false);
            if (reclaimed > 0)
            {
                _logger.LeasesReclaimed(reclaimed);
            }
        }

        if (_dispatcher is null && _store is ISharedExecutionStore shared)
        {
            // Another node's start or callback may make an invocation due that this node hosts.
            _timerChanges = shared.SubscribeTimerChanges(Wake);
        }

        _dispatcher ??= Task.Run(() => DispatchLoopAsync(_stopping.Token), CancellationToken.None);
        Wake();
    }

    /// <summary>Stops the dispatcher and cancels running invocations.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _timerChanges?.Dispose();
        if (_dispatcher is not null)
        {
            await _dispatcher.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Asks the dispatcher to look for due timers now (e.g. after fake time moved). The engine counts as
    /// busy from this call until the dispatcher has processed everything due.
    /// </summary>
    public void Wake()
    {
        // Enter before publishing the flag, so the engine never looks idle between the two.
        _activity.Enter();
        if (Interlocked.Exchange(ref _signaled, 1) == 1)
        {
            _activity.Exit();
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
                        _activity.Exit();
                    }

                    holding = true;
                }

                IReadOnlyList<TimerRecord> due = await _store.ClaimDueTimersAsync(new DueTimerClaim(Now, TimerBatchSize, HostedVersions()), stopping).ConfigureAwait(false);
                if (due.Count > 0)
                {
                    if (!holding)
                    {
                        _activity.Enter();
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
                    _activity.Exit();
                }

                await SleepUntilNextDueAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The dispatcher must survive a store hiccup; the next pass retries.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Log.DispatcherFailed(_logger, exception);
            }
        }

        if (holding)
        {
            _activity.Exit();
        }
    }

    private async Task SleepUntilNextDueAsync(CancellationToken stopping)
    {
        DateTimeOffset? next = await _store.GetNextDueTimeAsync(stopping).ConfigureAwait(false);
        using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Task signal = _wakeSignal.WaitAsync(sleep.Token);
        try
        {
            if (next is { } dueAt)
            {
                // Task.Delay refuses more than ~49.7 days (a 90-day retention, a long wait): sleep at most a day, then look again.
                TimeSpan delay = TimeSpan.FromTicks(Math.Clamp((dueAt - Now).Ticks, 0, MaxSleepTime.Ticks));
                await Task.WhenAny(signal, Task.Delay(delay, TimeProvider, sleep.Token)).ConfigureAwait(false);
            }
            else if (_store is ISharedExecutionStore)
            {
                await Task.WhenAny(signal, Task.Delay(MaxSleepTime, TimeProvider, sleep.Token)).ConfigureAwait(false);
            }
            else
            {
                await Task.WhenAny(signal).ConfigureAwait(false);
            }
        }
        finally
        {
            // Always withdraw the semaphore wait: one left behind would take the next Wake's release, and that wake-up would be lost.
            await sleep.CancelAsync().ConfigureAwait(false);
        }

        stopping.ThrowIfCancellationRequested();
    }

    /// <summary>How long the dispatcher may sleep: a day, or a shared store's poll interval (other nodes set timers too).</summary>
    private TimeSpan MaxSleepTime => _store is ISharedExecutionStore shared ? shared.PollInterval : MaxSleep;

    /// <summary>The function versions this engine runs, for <see cref="DueTimerClaim.HostedVersions"/>.</summary>
    private string[] HostedVersions() => [.. Functions.GetAll().Select(function => DueTimerClaim.Key(function.Name, function.Version))];

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
                    await StartInvocationAsync(timer.ExecutionId, stopping).ConfigureAwait(false);
                    break;
                case TimerKind.InvocationLease:
                    await MutateAsync(timer.ExecutionId, [], workspace => InvocationTransitions.Expire(workspace, timer.Tag, Now), stopping).ConfigureAwait(false);
                    break;
                case TimerKind.ExecutionTimeout:
                    await MutateAsync(timer.ExecutionId, [], workspace => ExecutionTransitions.TimeOut(workspace, Now), stopping).ConfigureAwait(false);
                    break;
                case TimerKind.Retention:
                    await PurgeIfExpiredAsync(timer.ExecutionId, stopping).ConfigureAwait(false);
                    break;
                case TimerKind.ChildCompleted:
                    ExecutionSnapshot? child = await _store.LoadAsync(timer.Tag ?? "", [], stopping).ConfigureAwait(false);
                    await TriggerAsync(workspace => OperationEventTransitions.CompleteChainedInvoke(workspace, timer, child?.Execution, Now)).ConfigureAwait(false);
                    break;
                default:
                    await TriggerAsync(workspace => OperationEventTransitions.FireTimer(workspace, timer, Now)).ConfigureAwait(false);
                    break;
            }

            Task TriggerAsync(Action<ExecutionWorkspace> transition) => mayClaim
                ? MutateAndClaimAsync(timer.ExecutionId, [timer.OperationId!], transition, stopping)
                : MutateAsync(timer.ExecutionId, [timer.OperationId!], transition, stopping);
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
        ExecutionSnapshot? snapshot = await _store.LoadAsync(timer.ExecutionId, [], stopping).ConfigureAwait(false);
        if (snapshot is null)
        {
            _logger.OrphanTimersDropped(timer.ExecutionId, timer.Key);
            await _store.PurgeExecutionAsync(timer.ExecutionId, expectedVersion: 0, stopping).ConfigureAwait(false);
            return;
        }

        Log.TimerFailed(_logger, exception, timer.ExecutionId, timer.Key);
        var workspace = new ExecutionWorkspace(snapshot);
        workspace.SetTimer(timer with { DueAt = Now + MissingVersionRetry });
        await _store.TryCommitAsync(workspace.ToChange(), stopping).ConfigureAwait(false);
    }

    /// <summary>
    /// The retention timer: purges the closed execution once its retention has ended at the engine's now; re-arms the
    /// timer when it has not (the clock moved back). A purge that lost a race leaves the timer due, so the next pass retries.
    /// </summary>
    private async Task PurgeIfExpiredAsync(string executionId, CancellationToken stopping)
    {
        ExecutionSnapshot? snapshot = await _store.LoadAsync(executionId, [], stopping).ConfigureAwait(false);
        if (snapshot is null)
        {
            await _store.PurgeExecutionAsync(executionId, expectedVersion: 0, stopping).ConfigureAwait(false);
            return;
        }

        ExecutionRecord execution = snapshot.Execution;
        if (!execution.IsExpiredAt(Now))
        {
            await MutateAsync(executionId, [], ExecutionTransitions.ArmRetention, stopping).ConfigureAwait(false);
            return;
        }

        if (await _store.PurgeExecutionAsync(executionId, execution.Version, stopping).ConfigureAwait(false))
        {
            _cache.Remove(executionId);
            _logger.ExecutionPurged(execution.DurableExecutionArn);
        }
    }

    private async Task StartInvocationAsync(string executionId, CancellationToken stopping)
    {
        ExecutionRecord current = await LoadExecutionAsync(executionId, stopping).ConfigureAwait(false);
        RegisteredFunction? function = Functions.Find(current.FunctionName, current.FunctionVersion);
        if (function is null)
        {
            // Another node (or a later deployment) may host this version: wait for it rather than fail.
            _logger.FunctionVersionMissing(executionId, current.FunctionName, current.FunctionVersion);
            await MutateAsync(executionId, [], workspace => ExecutionTransitions.ScheduleInvocationAfterRemoval(workspace, Now + MissingVersionRetry), stopping).ConfigureAwait(false);
            return;
        }

        InvocationClaim? claim = null;
        ExecutionWorkspace started = await MutateAsync(executionId, [], workspace => claim = Claim(workspace, function), stopping).ConfigureAwait(false);
        if (claim is not null)
        {
            RunClaimed(started.Execution, claim);
        }
    }

    private async Task RunInvocationAsync(
        ExecutionRecord execution, InvocationRecord invocation, RegisteredFunction function, IReadOnlyList<string> updated, CancellationToken stopping)
    {
        try
        {
            InvocationOutcome outcome;
            try
            {
                (IReadOnlyList<Operation> operations, string? nextMarker) =
                    await ReadVisibleOperationsAsync(execution.ExecutionId, -1, EnvelopePageSize, stopping).ConfigureAwait(false);
                var envelope = new DurableExecutionInvocationInput
                {
                    DurableExecutionArn = execution.DurableExecutionArn,
                    CheckpointToken = invocation.CurrentToken,
                    InitialExecutionState = new InitialExecutionState { Operations = operations, NextMarker = nextMarker },
                    UpdatedOperationIds = updated.Count > 0 ? updated : null,
                    TraceParent = execution.InvocationCount == 1 ? execution.TraceParent : null,
                };
                long sent = System.Diagnostics.Stopwatch.GetTimestamp();
                outcome = InvocationOutcome.Returned(await function.Handler(envelope, this, stopping).ConfigureAwait(false));
                Telemetry.EngineMetrics.Invoked(System.Diagnostics.Stopwatch.GetElapsedTime(sent));
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                // A thrown invocation is a crash as Lambda sees it: recorded and retried with backoff.
                outcome = InvocationOutcome.Failed(new ErrorObject
                {
                    ErrorType = InvocationTransitions.CrashErrorType,
                    ErrorMessage = $"{exception.GetType().Name}: {exception.Message}",
                });
                _logger.InvocationFailed(invocation.RequestId, execution.ExecutionId, exception.Message);
            }

            await MutateAsync(execution.ExecutionId, [execution.ExecutionId],
                workspace => InvocationTransitions.Complete(workspace, invocation.RequestId, outcome, _options.MaxBytesWrittenPerExecution, Now), stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The engine stops; the lease timer retries this invocation after a restart.
        }
        finally
        {
            _activity.Exit();
        }
    }
}
