using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>
/// The data plane of a running invocation: CheckpointDurableExecution (a retry answered from its saved replay, chained
/// invokes resolved, the transition committed with the children it starts) and GetDurableExecutionState.
/// </summary>
internal sealed class ExecutionDataPlane(ExecutionCommitter commits, ExecutionQueries queries, FunctionRegistry functions, DurablyOptions options, TimeProvider time)
{
    private const int DefaultStatePageSize = 100;
    private const int MaxStatePageSize = 1000;

    private DateTimeOffset Now => time.GetUtcNow();

    public async Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!ExecutionArn.TryGetExecutionId(request.DurableExecutionArn, out string? executionId))
        {
            // An unknown execution is reported as an invalid token (PROTOCOL.md §2.8: no 404 here).
            throw ServiceErrorCodes.InvalidToken("the execution ARN is not valid.");
        }

        EngineLimits.CheckClientToken(request.ClientToken);
        IReadOnlyList<OperationUpdate> updates = request.Updates ?? [];
        var ids = new HashSet<string>(StringComparer.Ordinal) { executionId };
        foreach (OperationUpdate update in updates)
        {
            ids.Add(update.Id ?? "");
            if (update.ParentId is not null)
            {
                ids.Add(update.ParentId);
            }
        }

        while (true)
        {
            ExecutionSnapshot snapshot = await commits.LoadAsync(executionId, ids, cancellationToken).ConfigureAwait(false)
                ?? throw ServiceErrorCodes.InvalidToken("the execution does not exist.");
            ExecutionRecord execution = snapshot.Execution;
            if (execution.LastCheckpoint is { } last && request.ClientToken is not null
                && last.ClientToken == request.ClientToken && last.CheckpointToken == request.CheckpointToken)
            {
                return last.Response;
            }

            CheckpointTransition.CheckToken(execution, request.CheckpointToken);
            if (execution.UndeliveredOperationIds.Any(id => !ids.Contains(id)))
            {
                ids.UnionWith(execution.UndeliveredOperationIds);
                continue;
            }

            DateTimeOffset now = Now;
            IReadOnlyDictionary<string, ChildInvocationPlan> children = PlanChildren(execution, snapshot.Operations, updates);
            var workspace = new ExecutionWorkspace(snapshot);
            var inputs = new CheckpointInputs(now, execution.Invocation!.TokenPrefix + SecureIds.Create(), SecureIds.Create, children,
                options.MaxOperationsPerExecution, options.MaxBytesWrittenPerExecution);
            CheckpointDurableExecutionResponse response = CheckpointTransition.Apply(workspace, request, inputs);
            if (await commits.CommitAsync(workspace, cancellationToken).ConfigureAwait(false))
            {
                Telemetry.EngineMetrics.Checkpointed(System.Diagnostics.Stopwatch.GetElapsedTime(started));
                return response;
            }
        }
    }

    public async Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ExecutionArn.TryGetExecutionId(request.DurableExecutionArn, out string? executionId))
        {
            throw ServiceErrorCodes.InvalidToken("the execution ARN is not valid.");
        }

        ExecutionSnapshot? snapshot = await commits.Store.LoadAsync(executionId, [], cancellationToken).ConfigureAwait(false);
        if (snapshot is null || snapshot.Execution.IsExpiredAt(Now))
        {
            throw ServiceErrorCodes.InvalidToken("the execution does not exist.");
        }

        ExecutionRecord execution = snapshot.Execution;
        // Any token of the running invocation may read, used or not (PROTOCOL.md §0).
        if (execution.IsClosed || execution.Invocation is not { } invocation
            || request.CheckpointToken?.StartsWith(invocation.TokenPrefix, StringComparison.Ordinal) != true)
        {
            throw ServiceErrorCodes.InvalidToken("the token does not belong to the running invocation.");
        }

        int maxItems = request.MaxItems is null or 0 ? DefaultStatePageSize : request.MaxItems.Value;
        if (maxItems is < 1 or > MaxStatePageSize)
        {
            throw ServiceErrorCodes.InvalidParameter($"MaxItems must be between 0 and {MaxStatePageSize}.");
        }

        int after = ExecutionQueries.ParseMarker(request.Marker, -1);
        (IReadOnlyList<Operation> operations, string? nextMarker) = await queries.ReadVisibleOperationsAsync(executionId, after, maxItems, cancellationToken).ConfigureAwait(false);
        return new GetDurableExecutionStateResponse { Operations = operations, NextMarker = nextMarker };
    }

    /// <summary>Resolves the target of every new CHAINED_INVOKE START and derives its child's id and name.</summary>
    private Dictionary<string, ChildInvocationPlan> PlanChildren(
        ExecutionRecord parent, IReadOnlyDictionary<string, OperationRecord> existing, IReadOnlyList<OperationUpdate> updates)
    {
        var plans = new Dictionary<string, ChildInvocationPlan>(StringComparer.Ordinal);
        foreach (OperationUpdate update in updates)
        {
            if (update.Type != OperationType.ChainedInvoke || update.Action != OperationAction.Start || existing.ContainsKey(update.Id ?? "")
                || update.ChainedInvokeOptions?.FunctionName is not { Length: > 0 } functionName || !EngineLimits.IsValidId(update.Id))
            {
                continue;
            }

            RegisteredFunction function;
            try
            {
                function = functions.Resolve(functionName);
            }
            catch (DurableServiceException)
            {
                throw ServiceErrorCodes.InvalidParameter($"ChainedInvokeOptions.FunctionName '{ServiceErrorCodes.Shorten(functionName)}': function not found.");
            }

            string? traceParent = update.ChainedInvokeOptions.TraceParent;
            if (traceParent is not null && !ActivityContext.TryParse(traceParent, null, out _))
            {
                throw ServiceErrorCodes.InvalidParameter($"ChainedInvokeOptions.TraceParent '{ServiceErrorCodes.Shorten(traceParent)}' is not a W3C traceparent.");
            }

            // Derived from (parent execution, operation): a replayed START can never start a second child (PROTOCOL.md §0).
            byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{parent.ExecutionId}/{update.Id}"));
            string childId = new Guid(hash.AsSpan(0, 16)).ToString();
            string childName = $"{parent.ExecutionId}-{Convert.ToHexStringLower(hash, 16, 8)}";
            var spec = new NewExecution(childId, childName, function.Name, function.Version, NewExecutions.FunctionArn(options, function), update.Payload,
                NewExecutions.Seconds(function.ExecutionTimeout), function.RetentionPeriodInDays, parent.ExecutionId, update.Id, traceParent);
            plans[update.Id!] = new ChildInvocationPlan(spec, ExecutionArn.Create(spec.FunctionArn, childName, childId));
        }

        return plans;
    }
}
