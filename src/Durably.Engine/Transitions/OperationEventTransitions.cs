using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>
/// Service-side completions of operations: timers (wait end, retry due, callback timeout/heartbeat),
/// the callback API and chained-invoke children. Each re-invokes the function or delivers the change
/// to the running invocation.
/// </summary>
internal static class OperationEventTransitions
{
    public static readonly ErrorObject CallbackTimeoutError = new() { ErrorType = "Callback.Timeout", ErrorMessage = "Callback timed out" };
    public static readonly ErrorObject CallbackHeartbeatError = new() { ErrorType = "Callback.Heartbeat", ErrorMessage = "Callback timed out on heartbeat" };

    /// <summary>An operation timer is due; a timer whose operation moved on meanwhile is just dropped.</summary>
    public static void FireTimer(ExecutionWorkspace workspace, TimerRecord timer, DateTimeOffset now)
    {
        workspace.RemoveTimer(timer.Key);
        if (workspace.Execution.IsClosed || timer.OperationId is not { } id || workspace.Find(id)?.Operation is not { } operation)
        {
            return;
        }

        switch (timer.Kind)
        {
            case TimerKind.WaitEnd when operation.Status == OperationStatus.Started:
                int seconds = workspace.Find(id)!.WaitSeconds;
                Operation succeeded = workspace.Put(operation with { Status = OperationStatus.Succeeded, EndTimestamp = now }).Operation;
                workspace.AddEvent(HistoryEventTypes.WaitSucceeded, succeeded, new HistoryEventDetails { Duration = seconds }, now);
                ExecutionTransitions.Trigger(workspace, id, now);
                break;
            case TimerKind.StepRetry when operation.Status == OperationStatus.Pending:
                // READY records no history event (WIRE-DETAILS.md §D.9).
                workspace.Put(operation with { Status = OperationStatus.Ready, StepDetails = operation.StepDetails! with { NextAttemptTimestamp = null } });
                ExecutionTransitions.Trigger(workspace, id, now);
                break;
            case TimerKind.CallbackTimeout when operation.Status == OperationStatus.Started:
                CloseCallback(workspace, operation, OperationStatus.TimedOut, null, CallbackTimeoutError, now);
                break;
            case TimerKind.CallbackHeartbeat when operation.Status == OperationStatus.Started:
                CloseCallback(workspace, operation, OperationStatus.TimedOut, null, CallbackHeartbeatError, now);
                break;
        }
    }

    /// <summary>
    /// Checks that a callback can still be answered: an unknown id is 404, a closed callback or execution is
    /// CallbackTimeoutException (PROTOCOL.md §2.7).
    /// </summary>
    public static Operation RequireOpenCallback(ExecutionWorkspace workspace, string operationId)
    {
        Operation operation = workspace.Find(operationId)?.Operation
            ?? throw ServiceErrorCodes.NotFound("The callback does not exist.");
        if (workspace.Execution.IsClosed || operation.Status != OperationStatus.Started)
        {
            throw ServiceErrorCodes.CallbackClosed(workspace.Execution.IsClosed
                ? "The callback's execution is closed."
                : $"The callback is already closed ({CheckpointTransition.Wire(operation.Status)}).");
        }

        return operation;
    }

    /// <summary>A callback result that would take the execution over <paramref name="maxBytesWritten"/> is rejected; the callback stays open.</summary>
    public static void SucceedCallback(ExecutionWorkspace workspace, string operationId, string? result, long maxBytesWritten, DateTimeOffset now)
    {
        EngineLimits.CheckPayload("The callback result", result);
        Operation operation = RequireOpenCallback(workspace, operationId);
        EngineLimits.CheckBytesWritten(workspace.Execution, "The callback result", EngineLimits.PayloadBytes(result), maxBytesWritten);
        CloseCallback(workspace, operation, OperationStatus.Succeeded, result, null, now);
    }

    /// <summary>A callback error that would take the execution over <paramref name="maxBytesWritten"/> is rejected; the callback stays open.</summary>
    public static void FailCallback(ExecutionWorkspace workspace, string operationId, ErrorObject? error, long maxBytesWritten, DateTimeOffset now)
    {
        EngineLimits.CheckError("The callback error", error);
        Operation operation = RequireOpenCallback(workspace, operationId);
        error ??= new ErrorObject();
        EngineLimits.CheckBytesWritten(workspace.Execution, "The callback error", EngineLimits.ErrorBytes(error), maxBytesWritten);
        CloseCallback(workspace, operation, OperationStatus.Failed, null, error, now);
    }

    public static void HeartbeatCallback(ExecutionWorkspace workspace, string operationId, DateTimeOffset now)
    {
        RequireOpenCallback(workspace, operationId);
        OperationRecord record = workspace.Find(operationId)!;
        if (record.HeartbeatTimeoutSeconds > 0)
        {
            // Heartbeats record no history event; they only push the heartbeat deadline.
            workspace.SetTimer(new TimerRecord(workspace.Execution.ExecutionId, TimerRecord.OperationKey(TimerKind.CallbackHeartbeat, operationId),
                TimerKind.CallbackHeartbeat, now.AddSeconds(record.HeartbeatTimeoutSeconds), operationId));
        }
    }

    /// <summary>A chained-invoke child closed: its outcome completes the parent's CHAINED_INVOKE operation.</summary>
    public static void CompleteChainedInvoke(ExecutionWorkspace workspace, TimerRecord timer, ExecutionRecord? child, DateTimeOffset now)
    {
        workspace.RemoveTimer(timer.Key);
        if (workspace.Execution.IsClosed || child is not { IsClosed: true } || timer.OperationId is not { } id
            || workspace.Find(id)?.Operation is not { Status: OperationStatus.Started } operation)
        {
            return;
        }

        if (workspace.Execution.Invocation is not null)
        {
            workspace.Execution = workspace.Execution with { HeldChildNotices = [.. workspace.Execution.HeldChildNotices, timer] };
            return;
        }

        (OperationStatus status, string eventType) = child.Status switch
        {
            ExecutionStatus.Succeeded => (OperationStatus.Succeeded, HistoryEventTypes.ChainedInvokeSucceeded),
            ExecutionStatus.Failed => (OperationStatus.Failed, HistoryEventTypes.ChainedInvokeFailed),
            ExecutionStatus.TimedOut => (OperationStatus.TimedOut, HistoryEventTypes.ChainedInvokeTimedOut),
            _ => (OperationStatus.Stopped, HistoryEventTypes.ChainedInvokeStopped),
        };
        bool succeeded = status == OperationStatus.Succeeded;
        // Counted, not checked: the parent cannot refuse its child's outcome.
        workspace.AddBytesWritten(succeeded ? EngineLimits.PayloadBytes(child.Result) : EngineLimits.ErrorBytes(child.Error));
        Operation closed = workspace.Put(operation with
        {
            Status = status,
            EndTimestamp = now,
            ChainedInvokeDetails = new ChainedInvokeDetails { Result = succeeded ? child.Result : null, Error = succeeded ? null : child.Error },
        }).Operation;
        workspace.AddEvent(eventType, closed, succeeded ? EventDetails.WithResult(child.Result) : EventDetails.WithError(child.Error), now);
        ExecutionTransitions.Trigger(workspace, id, now);
    }

    private static void CloseCallback(ExecutionWorkspace workspace, Operation operation, OperationStatus status, string? result, ErrorObject? error, DateTimeOffset now)
    {
        workspace.AddBytesWritten(EngineLimits.PayloadBytes(result) + EngineLimits.ErrorBytes(error));
        Operation closed = workspace.Put(operation with
        {
            Status = status,
            EndTimestamp = now,
            CallbackDetails = operation.CallbackDetails! with { Result = result, Error = error },
        }).Operation;
        string eventType = status switch
        {
            OperationStatus.Succeeded => HistoryEventTypes.CallbackSucceeded,
            OperationStatus.Failed => HistoryEventTypes.CallbackFailed,
            _ => HistoryEventTypes.CallbackTimedOut,
        };
        workspace.AddEvent(eventType, closed, status == OperationStatus.Succeeded ? EventDetails.WithResult(result) : EventDetails.WithError(error), now);
        workspace.RemoveTimer(TimerRecord.OperationKey(TimerKind.CallbackTimeout, operation.Id));
        workspace.RemoveTimer(TimerRecord.OperationKey(TimerKind.CallbackHeartbeat, operation.Id));
        ExecutionTransitions.Trigger(workspace, operation.Id, now);
    }
}
