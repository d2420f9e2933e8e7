using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>A child execution a CHAINED_INVOKE START will start, resolved by the engine before the transition.</summary>
/// <param name="Execution">The child to create (deterministic id and name).</param>
/// <param name="DurableExecutionArn">The child's ARN.</param>
internal sealed record ChildInvocationPlan(NewExecution Execution, string DurableExecutionArn);

/// <summary>Inputs of a checkpoint transition that are not state.</summary>
/// <param name="Now">The engine's time.</param>
/// <param name="NextToken">The token the response hands out.</param>
/// <param name="MintCallbackId">Creates an unguessable callback id.</param>
/// <param name="Children">Resolved children of CHAINED_INVOKE STARTs, by operation id.</param>
/// <param name="MaxOperations">The operations an execution may have, the EXECUTION operation excluded.</param>
/// <param name="MaxBytesWritten">The bytes an execution may write.</param>
internal sealed record CheckpointInputs(
    DateTimeOffset Now,
    string NextToken,
    Func<string> MintCallbackId,
    IReadOnlyDictionary<string, ChildInvocationPlan> Children,
    int MaxOperations,
    long MaxBytesWritten);

/// <summary>
/// CheckpointDurableExecution as a pure transition (PROTOCOL.md §2.8, WIRE-DETAILS.md §B.4): validates
/// every update against the state and the updates before it, applies them in order, and returns the
/// response. A violation throws InvalidParameterValueException and leaves the workspace as it was loaded:
/// nothing of the batch is stored.
/// </summary>
internal static class CheckpointTransition
{
    /// <summary>Checks the token (the caller has already ruled out a replay of the previous request).</summary>
    public static void CheckToken(ExecutionRecord execution, string? token)
    {
        if (execution.IsClosed)
        {
            throw ServiceErrorCodes.InvalidToken($"the execution is {execution.Status.ToString().ToUpperInvariant()} and accepts no checkpoints.");
        }

        if (execution.Invocation is not { } invocation || string.IsNullOrEmpty(token) || !token.StartsWith(invocation.TokenPrefix, StringComparison.Ordinal))
        {
            throw ServiceErrorCodes.InvalidToken("the token does not belong to the running invocation.");
        }

        if (!string.Equals(token, invocation.CurrentToken, StringComparison.Ordinal))
        {
            throw ServiceErrorCodes.InvalidToken("the token was already used; use the token of the latest response.");
        }
    }

    public static CheckpointDurableExecutionResponse Apply(ExecutionWorkspace workspace, CheckpointDurableExecutionRequest request, CheckpointInputs inputs)
    {
        try
        {
            return ApplyAll(workspace, request, inputs);
        }
        catch (DurableServiceException)
        {
            // The batch is one transaction: an update rejected halfway must not leave the ones before it applied.
            workspace.DiscardChanges();
            throw;
        }
    }

    private static CheckpointDurableExecutionResponse ApplyAll(ExecutionWorkspace workspace, CheckpointDurableExecutionRequest request, CheckpointInputs inputs)
    {
        IReadOnlyList<OperationUpdate> updates = request.Updates ?? [];
        CheckBatchShape(updates);
        var touched = new List<string>();
        var seenInBatch = new Dictionary<string, OperationAction>(StringComparer.Ordinal);
        for (int index = 0; index < updates.Count; index++)
        {
            OperationUpdate update = updates[index];
            string where = $"Updates[{index}] (Id '{ServiceErrorCodes.Shorten(update.Id)}')";
            CheckFields(update, where);
            CheckDuplicate(seenInBatch, update, where);
            if (update.Type == OperationType.Execution)
            {
                ApplyExecution(workspace, update, where, inputs);
                continue;
            }

            OperationRecord? existing = workspace.Find(update.Id);
            CheckConsistency(workspace, existing, update, where);
            // The EXECUTION operation, created by the service, does not count against the limit.
            int operations = workspace.Execution.OperationCount - 1;
            if (existing is null && operations >= inputs.MaxOperations)
            {
                throw ServiceErrorCodes.InvalidParameter(
                    $"{where}: the execution already has {operations} operations; the limit is {inputs.MaxOperations} per execution.");
            }

            long bytes = EngineLimits.PayloadBytes(update.Payload) + EngineLimits.ErrorBytes(update.Error);
            EngineLimits.CheckBytesWritten(workspace.Execution, where, bytes, inputs.MaxBytesWritten);
            OperationUpdateTransitions.Apply(workspace, existing?.Operation, update, where, inputs);
            workspace.AddBytesWritten(bytes);
            if (!touched.Contains(update.Id, StringComparer.Ordinal))
            {
                touched.Add(update.Id);
            }
        }

        return Respond(workspace, request, touched, inputs.NextToken);
    }

    private static CheckpointDurableExecutionResponse Respond(ExecutionWorkspace workspace, CheckpointDurableExecutionRequest request, List<string> touched, string nextToken)
    {
        ExecutionRecord execution = workspace.Execution;
        foreach (string id in execution.UndeliveredOperationIds)
        {
            if (!touched.Contains(id, StringComparer.Ordinal))
            {
                touched.Add(id);
            }
        }

        var response = new CheckpointDurableExecutionResponse
        {
            CheckpointToken = nextToken,
            NewExecutionState = new CheckpointUpdatedExecutionState
            {
                Operations = [.. touched.Select(id => workspace.Find(id)?.Operation).OfType<Operation>()],
            },
        };
        workspace.Execution = execution with
        {
            UndeliveredOperationIds = [],
            Invocation = execution.Invocation is { } invocation ? invocation with { CurrentToken = nextToken } : null,
            LastCheckpoint = request.ClientToken is { } clientToken
                ? new CheckpointReplay(clientToken, request.CheckpointToken, response)
                : null,
        };
        return response;
    }

    private static void CheckBatchShape(IReadOnlyList<OperationUpdate> updates)
    {
        int executionUpdates = updates.Count(update => update.Type == OperationType.Execution);
        if (executionUpdates > 1)
        {
            throw ServiceErrorCodes.InvalidParameter("A checkpoint may carry at most one EXECUTION update.");
        }

        if (executionUpdates == 1 && updates[^1].Type != OperationType.Execution)
        {
            throw ServiceErrorCodes.InvalidParameter("The EXECUTION update must be the last update of the checkpoint.");
        }
    }

    private static void CheckFields(OperationUpdate update, string where)
    {
        EngineLimits.CheckId($"{where}: Id", update.Id);
        if (update.ParentId is not null)
        {
            EngineLimits.CheckId($"{where}: ParentId", update.ParentId);
        }

        EngineLimits.CheckName($"{where}: Name", update.Name);
        EngineLimits.CheckSubType($"{where}: SubType", update.SubType);
        EngineLimits.CheckPayload($"{where}: Payload", update.Payload);
        EngineLimits.CheckError($"{where}: Error", update.Error);
        if (!Enum.IsDefined(update.Type) || !Enum.IsDefined(update.Action))
        {
            throw ServiceErrorCodes.InvalidParameter($"{where}: unknown operation type or action.");
        }

        if (update.Action == OperationAction.Succeed && update.Error is not null)
        {
            throw ServiceErrorCodes.InvalidParameter($"{where}: a SUCCEED update must not carry an Error.");
        }

        if (update.Action == OperationAction.Fail && update.Payload is not null)
        {
            throw ServiceErrorCodes.InvalidParameter($"{where}: a FAIL update must not carry a Payload.");
        }

        if (update.Action == OperationAction.Retry && update.Error is not null && update.Payload is not null)
        {
            throw ServiceErrorCodes.InvalidParameter($"{where}: a RETRY update must not carry both an Error and a Payload.");
        }
    }

    // Rule 2: an id appears once per batch, except a STEP/CONTEXT START followed by one non-START.
    private static void CheckDuplicate(Dictionary<string, OperationAction> seen, OperationUpdate update, string where)
    {
        if (!seen.TryGetValue(update.Id, out OperationAction first))
        {
            seen[update.Id] = update.Action;
            return;
        }

        bool startThenFinish = first == OperationAction.Start
            && update.Action != OperationAction.Start
            && update.Type is OperationType.Step or OperationType.Context;
        if (!startThenFinish)
        {
            throw ServiceErrorCodes.InvalidParameter(
                $"{where}: duplicate operation id in one checkpoint; only a STEP or CONTEXT START followed by one non-START update may share an id.");
        }

        // A third occurrence is never allowed.
        seen[update.Id] = OperationAction.Cancel;
    }

    // Rules 3 and 4: parent is a CONTEXT; an existing operation keeps its type, sub-type, name and parent.
    private static void CheckConsistency(ExecutionWorkspace workspace, OperationRecord? existing, OperationUpdate update, string where)
    {
        if (update.ParentId is { } parentId && workspace.Find(parentId)?.Operation.Type != OperationType.Context)
        {
            throw ServiceErrorCodes.InvalidParameter($"{where}: Invalid parent operation id. ParentId '{ServiceErrorCodes.Shorten(parentId)}' is not a CONTEXT operation of this execution.");
        }

        if (existing is null)
        {
            return;
        }

        Operation stored = existing.Operation;
        string? mismatch = stored.Type != update.Type ? "type"
            : !string.Equals(stored.SubType, update.SubType, StringComparison.Ordinal) ? "subtype"
            : !string.Equals(stored.Name, update.Name, StringComparison.Ordinal) ? "name"
            : !string.Equals(stored.ParentId, update.ParentId, StringComparison.Ordinal) ? "parent"
            : null;
        if (mismatch is not null)
        {
            throw ServiceErrorCodes.InvalidParameter($"{where}: Inconsistent operation {mismatch}: it differs from what is recorded for this id.");
        }
    }

    private static void ApplyExecution(ExecutionWorkspace workspace, OperationUpdate update, string where, CheckpointInputs inputs)
    {
        switch (update.Action)
        {
            case OperationAction.Succeed:
                EngineLimits.CheckBytesWritten(workspace.Execution, where, EngineLimits.PayloadBytes(update.Payload), inputs.MaxBytesWritten);
                ExecutionTransitions.Close(workspace, ExecutionStatus.Succeeded, update.Payload, null, inputs.Now);
                break;
            case OperationAction.Fail:
                ErrorObject error = update.Error ?? new ErrorObject();
                EngineLimits.CheckBytesWritten(workspace.Execution, where, EngineLimits.ErrorBytes(error), inputs.MaxBytesWritten);
                ExecutionTransitions.Close(workspace, ExecutionStatus.Failed, null, error, inputs.Now);
                break;
            default:
                throw ServiceErrorCodes.InvalidParameter($"{where}: EXECUTION {Wire(update.Action)} is not allowed; only SUCCEED and FAIL are.");
        }
    }

    internal static string Wire(OperationAction action) => action.ToString().ToUpperInvariant();

    internal static string Wire(OperationType type) => type == OperationType.ChainedInvoke ? "CHAINED_INVOKE" : type.ToString().ToUpperInvariant();

    internal static string Wire(OperationStatus status) => status switch
    {
        OperationStatus.TimedOut => "TIMED_OUT",
        _ => status.ToString().ToUpperInvariant(),
    };
}
