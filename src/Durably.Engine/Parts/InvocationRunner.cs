using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Logging;

namespace Durably.Engine;

/// <summary>
/// Starts invocations and runs them: claims an invocation (the lease) in a workspace, runs a committed claim's function
/// on the thread pool with the envelope, and commits its outcome. The engine counts as busy while one runs.
/// </summary>
internal sealed class InvocationRunner(
    ExecutionCommitter commits, ExecutionQueries queries, FunctionRegistry functions, DurablyOptions options, TimeProvider time,
    ActivityTracker activity, ILogger logger, IDurableExecutionClient client, Func<bool> isDispatching, CancellationToken engineStopping)
{
    private const int EnvelopePageSize = 1000;
    /// <summary>How long a timer waits before it is tried again: for a node that hosts the version, or after a failure.</summary>
    public static readonly TimeSpan MissingVersionRetry = TimeSpan.FromMinutes(1);

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// Claims the invocation the change just made due (a start, a fired timer) in the same workspace, so one commit
    /// both records the trigger and takes the lease; without it the dispatcher would need a second, serial commit. Only
    /// while the dispatcher runs, only when nothing is in flight and the invocation is due now, only for a locally
    /// hosted version. Null when nothing was claimed; the workspace is then as the transition left it.
    /// </summary>
    public InvocationClaim? TryClaimDueInvocation(ExecutionWorkspace workspace)
    {
        ExecutionRecord execution = workspace.Execution;
        if (!isDispatching() || execution.IsClosed || execution.Invocation is not null || execution.NextInvocationAt is not { } dueAt || dueAt > Now)
        {
            return null;
        }

        RegisteredFunction? function = functions.Find(execution.FunctionName, execution.FunctionVersion);
        return function is null ? null : Claim(workspace, function);
    }

    /// <summary>Starts an invocation of <paramref name="function"/> in <paramref name="workspace"/> (see <see cref="InvocationTransitions.Start"/>).</summary>
    private InvocationClaim? Claim(ExecutionWorkspace workspace, RegisteredFunction function)
    {
        string tokenPrefix = SecureIds.Create();
        IReadOnlyList<string>? updated = InvocationTransitions.Start(workspace, Guid.NewGuid().ToString(), tokenPrefix, tokenPrefix + SecureIds.Create(),
            function.InvocationTimeout, options.MaxInvocationsPerExecution, Now);
        return updated is null ? null : new InvocationClaim(function, updated);
    }

    /// <summary><see cref="ExecutionCommitter.MutateAsync"/>, then runs the invocation the committed change claimed, if any.</summary>
    public async Task MutateAndClaimAsync(
        string executionId, IReadOnlyCollection<string> operationIds, Action<ExecutionWorkspace> transition, CancellationToken cancellationToken)
    {
        InvocationClaim? claim = null;
        ExecutionWorkspace committed = await commits.MutateAsync(executionId, operationIds, workspace =>
        {
            transition(workspace);
            claim = TryClaimDueInvocation(workspace);
        }, cancellationToken).ConfigureAwait(false);
        if (claim is not null)
        {
            RunClaimed(committed.Execution, claim);
        }
    }

    /// <summary>Runs a committed claim's invocation on the thread pool; the engine counts as busy until it ends.</summary>
    public void RunClaimed(ExecutionRecord execution, InvocationClaim claim)
    {
        activity.Enter();
        _ = Task.Run(() => RunInvocationAsync(execution, execution.Invocation!, claim.Function, claim.Updated, engineStopping), CancellationToken.None);
    }

    /// <summary>The invoke timer fired: claims and runs the invocation, or waits for a node hosting the version.</summary>
    public async Task StartInvocationAsync(string executionId, CancellationToken stopping)
    {
        ExecutionRecord current = await commits.LoadExecutionAsync(executionId, stopping).ConfigureAwait(false);
        RegisteredFunction? function = functions.Find(current.FunctionName, current.FunctionVersion);
        if (function is null)
        {
            // Another node (or a later deployment) may host this version: wait for it rather than fail.
            logger.FunctionVersionMissing(executionId, current.FunctionName, current.FunctionVersion);
            await commits.MutateAsync(executionId, [], workspace => ExecutionTransitions.ScheduleInvocationAfterRemoval(workspace, Now + MissingVersionRetry), stopping).ConfigureAwait(false);
            return;
        }

        InvocationClaim? claim = null;
        ExecutionWorkspace started = await commits.MutateAsync(executionId, [], workspace => claim = Claim(workspace, function), stopping).ConfigureAwait(false);
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
                    await queries.ReadVisibleOperationsAsync(execution.ExecutionId, -1, EnvelopePageSize, stopping).ConfigureAwait(false);
                var envelope = new DurableExecutionInvocationInput
                {
                    DurableExecutionArn = execution.DurableExecutionArn,
                    CheckpointToken = invocation.CurrentToken,
                    InitialExecutionState = new InitialExecutionState { Operations = operations, NextMarker = nextMarker },
                    UpdatedOperationIds = updated.Count > 0 ? updated : null,
                    TraceParent = execution.InvocationCount == 1 ? execution.TraceParent : null,
                };
                long sent = System.Diagnostics.Stopwatch.GetTimestamp();
                outcome = InvocationOutcome.Returned(await function.Handler(envelope, client, stopping).ConfigureAwait(false));
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
                logger.InvocationFailed(invocation.RequestId, execution.ExecutionId, exception.Message);
            }

            await commits.MutateAsync(execution.ExecutionId, [execution.ExecutionId],
                workspace => InvocationTransitions.Complete(workspace, invocation.RequestId, outcome, options.MaxBytesWrittenPerExecution, Now), stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The engine stops; the lease timer retries this invocation after a restart.
        }
        finally
        {
            activity.Exit();
        }
    }
}

/// <summary>An invocation started in a workspace: what to run once that workspace is committed.</summary>
/// <param name="Function">The version to run.</param>
/// <param name="Updated">The envelope's UpdatedOperationIds.</param>
internal sealed record InvocationClaim(RegisteredFunction Function, IReadOnlyList<string> Updated);
