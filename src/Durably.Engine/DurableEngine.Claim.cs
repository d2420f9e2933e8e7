namespace Durably.Engine;

public sealed partial class DurableEngine
{
    /// <summary>
    /// Claims the invocation the change just made due (a start, a fired timer) in the same workspace, so one commit
    /// both records the trigger and takes the lease; without it the dispatcher would need a second, serial commit. Only
    /// while the dispatcher runs, only when nothing is in flight and the invocation is due now, only for a locally
    /// hosted version. Null when nothing was claimed; the workspace is then as the transition left it.
    /// </summary>
    private InvocationClaim? TryClaimDueInvocation(ExecutionWorkspace workspace)
    {
        ExecutionRecord execution = workspace.Execution;
        if (!IsDispatching || execution.IsClosed || execution.Invocation is not null || execution.NextInvocationAt is not { } dueAt || dueAt > Now)
        {
            return null;
        }

        RegisteredFunction? function = Functions.Find(execution.FunctionName, execution.FunctionVersion);
        return function is null ? null : Claim(workspace, function);
    }

    /// <summary>Starts an invocation of <paramref name="function"/> in <paramref name="workspace"/> (see <see cref="InvocationTransitions.Start"/>).</summary>
    private InvocationClaim? Claim(ExecutionWorkspace workspace, RegisteredFunction function)
    {
        string tokenPrefix = SecureIds.Create();
        IReadOnlyList<string>? updated = InvocationTransitions.Start(workspace, Guid.NewGuid().ToString(), tokenPrefix, tokenPrefix + SecureIds.Create(),
            function.InvocationTimeout, _options.MaxInvocationsPerExecution, Now);
        return updated is null ? null : new InvocationClaim(function, updated);
    }

    /// <summary><see cref="MutateAsync"/>, then runs the invocation the committed change claimed, if any.</summary>
    private async Task MutateAndClaimAsync(
        string executionId, IReadOnlyCollection<string> operationIds, Action<ExecutionWorkspace> transition, CancellationToken cancellationToken)
    {
        InvocationClaim? claim = null;
        ExecutionWorkspace committed = await MutateAsync(executionId, operationIds, workspace =>
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
    private void RunClaimed(ExecutionRecord execution, InvocationClaim claim)
    {
        _activity.Enter();
        CancellationToken stopping = _stopping.Token;
        _ = Task.Run(() => RunInvocationAsync(execution, execution.Invocation!, claim.Function, claim.Updated, stopping), CancellationToken.None);
    }

    private bool IsDispatching => _dispatcher is not null && !_stopping.IsCancellationRequested;

    /// <summary>An invocation started in a workspace: what to run once that workspace is committed.</summary>
    /// <param name="Function">The version to run.</param>
    /// <param name="Updated">The envelope's UpdatedOperationIds.</param>
    private sealed record InvocationClaim(RegisteredFunction Function, IReadOnlyList<string> Updated);
}
