using System.Diagnostics;
using Durably.Protocol;
using Durably.Telemetry;
using Microsoft.Extensions.Logging;

namespace Durably.Replay;

/// <summary>
/// Shared state of one invocation: the log, the batcher, and the suspension decision.
/// The invocation suspends (ends PENDING) when no step body runs, no checkpoint is queued or
/// in flight, and at least one operation waits for a service-side event. Suspension never
/// throws into user code: the awaited tasks simply never complete in this invocation.
/// </summary>
internal sealed class Invocation : IDisposable
{
    private readonly TaskCompletionSource<Exception?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cancellation;
    private readonly ChangePoller _poller;
    private int _executing;
    private int _blocked;
    private long _activity;

    public Invocation(DurableExecutionInvocationInput input, IReadOnlyList<Operation> operations, IDurableExecutionClient client,
        IDurableSerializer serializer, ILoggerFactory? loggerFactory, string? functionName, TimeProvider time, InvocationTracer? tracer, CancellationToken cancellationToken)
    {
        Tracer = tracer;
        TraceId = (tracer?.InvocationSpan ?? Activity.Current)?.TraceId.ToHexString();
        DurableExecutionArn = input.DurableExecutionArn;
        Serializer = serializer;
        LoggerFactory = loggerFactory;
        LoggerCategory = "Durably.Function." + (functionName ?? "default");
        Log = new ExecutionLog(operations);
        Batcher = new CheckpointBatcher(client, input.DurableExecutionArn, input.CheckpointToken, Log, this, time);
        _poller = new ChangePoller(time, Batcher.Poll);
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    public string DurableExecutionArn { get; }

    /// <summary>True for a replay-only invocation: it stops where the log's recording ends (<see cref="ReplayDecisions.GoesPastTheRecording"/>).</summary>
    public bool StopsAtRecordingEnd { get; init; }

    public IDurableSerializer Serializer { get; }

    public ILoggerFactory? LoggerFactory { get; }

    public string LoggerCategory { get; }

    public ExecutionLog Log { get; }

    /// <summary>The W3C trace id of the invocation's span (or of the caller's current span); null when there is none.</summary>
    public string? TraceId { get; }

    /// <summary>The invocation's spans; null when nobody listens to the <c>Durably</c> source.</summary>
    public InvocationTracer? Tracer { get; }

    public CheckpointBatcher Batcher { get; }

    /// <summary>Cancelled when the invocation ends; step bodies receive it.</summary>
    public CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>Completes with null on suspension, or with the error that ends the invocation.</summary>
    public Task<Exception?> Ended => _ended.Task;

    /// <summary>
    /// User code started running where the suspension check cannot see it: a step body (or check,
    /// or submitter), the workflow up to its first await, or callers resumed inline by a checkpoint
    /// response. The invocation does not suspend until every such section has ended.
    /// </summary>
    public void EnterExecuting()
    {
        Interlocked.Increment(ref _executing);
        NoteActivity();
    }

    /// <summary>A section of <see cref="EnterExecuting"/> ended (a step body's outcome is already queued).</summary>
    public void ExitExecuting()
    {
        Interlocked.Decrement(ref _executing);
        NoteActivity();
        CheckSuspension();
    }

    /// <summary>Waits until <paramref name="id"/> changes service-side, counting as blocked meanwhile.</summary>
    public async Task WaitForServiceChangeAsync(string id, Operation? seen)
    {
        Task change = Log.WaitForChangeAsync(id, seen);
        if (change.IsCompleted)
        {
            return;
        }

        _poller.Blocked(id, seen?.WaitDetails?.ScheduledEndTimestamp ?? seen?.StepDetails?.NextAttemptTimestamp);
        Interlocked.Increment(ref _blocked);
        NoteActivity();
        CheckSuspension();
        try
        {
            await change.ConfigureAwait(false);
        }
        finally
        {
            _poller.Unblocked(id);
            Interlocked.Decrement(ref _blocked);
            NoteActivity();
        }
    }

    public void NoteActivity() => Interlocked.Increment(ref _activity);

    /// <summary>Ends the invocation with a fatal error (a checkpoint failure, non-determinism).</summary>
    public void Fail(Exception exception)
    {
        Batcher.Close();
        _ended.TrySetResult(exception);
    }

    /// <summary>
    /// Suspends when nothing can progress. The decision is confirmed once more from the thread
    /// pool's global queue with an unchanged activity count, so a continuation that was not run
    /// inline (a captured synchronization context, say) still gets its turn first.
    /// </summary>
    public void CheckSuspension()
    {
        if (_ended.Task.IsCompleted || Volatile.Read(ref _blocked) == 0)
        {
            return;
        }

        if (Volatile.Read(ref _executing) > 0)
        {
            // Cannot suspend while a body runs; ask the service for changes instead.
            _poller.Arm();
            return;
        }

        if (Batcher.HasUnsentLazyUpdates)
        {
            Batcher.Flush();
            return;
        }

        if (!Batcher.IsIdle)
        {
            return;
        }

        long activity = Interlocked.Read(ref _activity);
        ThreadPool.UnsafeQueueUserWorkItem<object?>(_ =>
        {
            if (Interlocked.Read(ref _activity) != activity)
            {
                CheckSuspension();
            }
            else if (Volatile.Read(ref _executing) == 0 && Volatile.Read(ref _blocked) > 0 && Batcher.IsIdle)
            {
                Batcher.Close();
                _ended.TrySetResult(null);
            }
        }, null, preferLocal: false);
    }

    public void Dispose()
    {
        Batcher.Close();
        _poller.Dispose();
        _cancellation.Cancel();
        _cancellation.Dispose();
    }
}
