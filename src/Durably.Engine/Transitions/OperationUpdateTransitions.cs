using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>The action × type matrix of PROTOCOL.md §2.8 for non-EXECUTION updates, with their history events and timers.</summary>
internal static class OperationUpdateTransitions
{
    public static void Apply(ExecutionWorkspace workspace, Operation? existing, OperationUpdate update, string where, CheckpointInputs inputs)
    {
        switch (update.Type)
        {
            case OperationType.Step:
                ApplyStep(workspace, existing, update, where, inputs.Now);
                break;
            case OperationType.Context:
                ApplyContext(workspace, existing, update, where, inputs.Now);
                break;
            case OperationType.Wait:
                ApplyWait(workspace, existing, update, where, inputs.Now);
                break;
            case OperationType.Callback:
                ApplyCallback(workspace, existing, update, where, inputs);
                break;
            case OperationType.ChainedInvoke:
                ApplyChainedInvoke(workspace, existing, update, where, inputs);
                break;
            default:
                throw ServiceErrorCodes.InvalidParameter($"{where}: unknown operation type.");
        }
    }

    private static Operation NewOperation(OperationUpdate update, DateTimeOffset now) => new()
    {
        Id = update.Id,
        ParentId = update.ParentId,
        Name = update.Name,
        Type = update.Type,
        SubType = update.SubType,
        Status = OperationStatus.Started,
        StartTimestamp = now,
    };

    private static DurableServiceException NotAllowed(OperationUpdate update, Operation? existing, string where) =>
        ServiceErrorCodes.InvalidParameter(existing is null
            ? $"{where}: {CheckpointTransition.Wire(update.Type)} {CheckpointTransition.Wire(update.Action)} is not allowed for an operation that does not exist."
            : $"{where}: {CheckpointTransition.Wire(update.Type)} {CheckpointTransition.Wire(update.Action)} is not allowed for an operation in status {CheckpointTransition.Wire(existing.Status)}.");

    private static DurableServiceException InvalidAction(OperationUpdate update, string where) =>
        ServiceErrorCodes.InvalidParameter($"{where}: Invalid action {CheckpointTransition.Wire(update.Action)} for {CheckpointTransition.Wire(update.Type)} operation.");

    private static void ApplyStep(ExecutionWorkspace workspace, Operation? existing, OperationUpdate update, string where, DateTimeOffset now)
    {
        OperationStatus? status = existing?.Status;
        Operation current = existing ?? NewOperation(update, now);
        StepDetails details = current.StepDetails ?? new StepDetails();
        int finished = (details.Attempt ?? 0) + 1;
        switch (update.Action)
        {
            case OperationAction.Start when status is null or OperationStatus.Ready:
                // START leaves Attempt unchanged: the SDK runs attempt Attempt + 1 (WIRE-DETAILS.md §B.2).
                Operation started = workspace.Put(current with { Status = OperationStatus.Started, StepDetails = details with { NextAttemptTimestamp = null } }).Operation;
                workspace.AddEvent(HistoryEventTypes.StepStarted, started, EventDetails.Empty, now);
                break;
            case OperationAction.Succeed when status is null or OperationStatus.Started or OperationStatus.Ready:
                Operation succeeded = workspace.Put(current with
                {
                    Status = OperationStatus.Succeeded,
                    EndTimestamp = now,
                    StepDetails = new StepDetails { Attempt = finished, Result = update.Payload },
                }).Operation;
                workspace.AddEvent(HistoryEventTypes.StepSucceeded, succeeded, new HistoryEventDetails
                {
                    Result = EventDetails.Payload(update.Payload),
                    RetryDetails = new RetryDetails { CurrentAttempt = finished },
                }, now);
                break;
            case OperationAction.Fail when status is null or OperationStatus.Started or OperationStatus.Ready:
                Operation failed = workspace.Put(current with
                {
                    Status = OperationStatus.Failed,
                    EndTimestamp = now,
                    StepDetails = new StepDetails { Attempt = finished, Error = update.Error },
                }).Operation;
                workspace.AddEvent(HistoryEventTypes.StepFailed, failed, new HistoryEventDetails
                {
                    Error = EventDetails.Error(update.Error),
                    RetryDetails = new RetryDetails { CurrentAttempt = finished },
                }, now);
                break;
            case OperationAction.Retry when status is null or OperationStatus.Started or OperationStatus.Ready:
                int? delay = update.StepOptions?.NextAttemptDelaySeconds;
                if (update.StepOptions is null)
                {
                    throw ServiceErrorCodes.InvalidParameter($"{where}: a STEP RETRY update requires StepOptions.");
                }

                EngineLimits.CheckDelay($"{where}: StepOptions.NextAttemptDelaySeconds", delay);
                DateTimeOffset due = now.AddSeconds(delay!.Value);
                Operation pending = workspace.Put(current with
                {
                    Status = OperationStatus.Pending,
                    StepDetails = new StepDetails { Attempt = finished, NextAttemptTimestamp = due, Result = update.Payload, Error = update.Error },
                }).Operation;
                var retryDetails = new RetryDetails { CurrentAttempt = finished, NextAttemptDelaySeconds = delay };
                // RETRY with an error is a failed attempt; without one it is a wait-for-condition poll.
                workspace.AddEvent(
                    update.Error is not null ? HistoryEventTypes.StepFailed : HistoryEventTypes.StepSucceeded,
                    pending,
                    update.Error is not null
                        ? new HistoryEventDetails { Error = EventDetails.Error(update.Error), RetryDetails = retryDetails }
                        : new HistoryEventDetails { Result = EventDetails.Payload(update.Payload), RetryDetails = retryDetails },
                    now);
                workspace.SetTimer(new TimerRecord(workspace.Execution.ExecutionId, TimerRecord.OperationKey(TimerKind.StepRetry, update.Id), TimerKind.StepRetry, due, update.Id));
                break;
            case OperationAction.Cancel:
                throw InvalidAction(update, where);
            default:
                throw NotAllowed(update, existing, where);
        }
    }

    private static void ApplyContext(ExecutionWorkspace workspace, Operation? existing, OperationUpdate update, string where, DateTimeOffset now)
    {
        switch (update.Action)
        {
            case OperationAction.Start when existing is null:
                workspace.AddEvent(HistoryEventTypes.ContextStarted, workspace.Put(NewOperation(update, now)).Operation, EventDetails.Empty, now);
                break;
            case OperationAction.Succeed or OperationAction.Fail when existing is null || existing.Status == OperationStatus.Started:
                bool succeeded = update.Action == OperationAction.Succeed;
                Operation closed = workspace.Put((existing ?? NewOperation(update, now)) with
                {
                    Status = succeeded ? OperationStatus.Succeeded : OperationStatus.Failed,
                    EndTimestamp = now,
                    ContextDetails = new ContextDetails
                    {
                        ReplayChildren = update.ContextOptions?.ReplayChildren,
                        Result = update.Payload,
                        Error = update.Error,
                    },
                }).Operation;
                workspace.AddEvent(
                    succeeded ? HistoryEventTypes.ContextSucceeded : HistoryEventTypes.ContextFailed,
                    closed,
                    succeeded ? EventDetails.WithResult(update.Payload) : EventDetails.WithError(update.Error),
                    now);
                break;
            case OperationAction.Retry or OperationAction.Cancel:
                throw InvalidAction(update, where);
            default:
                throw NotAllowed(update, existing, where);
        }
    }

    private static void ApplyWait(ExecutionWorkspace workspace, Operation? existing, OperationUpdate update, string where, DateTimeOffset now)
    {
        switch (update.Action)
        {
            case OperationAction.Start when existing is null:
                int? seconds = update.WaitOptions?.WaitSeconds;
                EngineLimits.CheckDelay($"{where}: WaitOptions.WaitSeconds", seconds);
                DateTimeOffset end = now.AddSeconds(seconds!.Value);
                Operation started = workspace.Put(NewOperation(update, now) with { WaitDetails = new WaitDetails { ScheduledEndTimestamp = end } }, waitSeconds: seconds.Value).Operation;
                workspace.AddEvent(HistoryEventTypes.WaitStarted, started, new HistoryEventDetails { Duration = seconds, ScheduledEndTimestamp = end }, now);
                workspace.SetTimer(new TimerRecord(workspace.Execution.ExecutionId, TimerRecord.OperationKey(TimerKind.WaitEnd, update.Id), TimerKind.WaitEnd, end, update.Id));
                break;
            case OperationAction.Cancel when existing?.Status == OperationStatus.Started:
                Operation cancelled = workspace.Put(existing with { Status = OperationStatus.Cancelled, EndTimestamp = now }).Operation;
                workspace.AddEvent(HistoryEventTypes.WaitCancelled, cancelled, update.Error is null ? EventDetails.Empty : EventDetails.WithError(update.Error), now);
                workspace.RemoveTimer(TimerRecord.OperationKey(TimerKind.WaitEnd, update.Id));
                break;
            case OperationAction.Succeed or OperationAction.Fail or OperationAction.Retry:
                throw InvalidAction(update, where);
            default:
                throw NotAllowed(update, existing, where);
        }
    }

    private static void ApplyCallback(ExecutionWorkspace workspace, Operation? existing, OperationUpdate update, string where, CheckpointInputs inputs)
    {
        if (update.Action != OperationAction.Start)
        {
            throw InvalidAction(update, where);
        }

        if (existing is not null)
        {
            throw NotAllowed(update, existing, where);
        }

        int timeout = update.CallbackOptions?.TimeoutSeconds ?? 0;
        int heartbeat = update.CallbackOptions?.HeartbeatTimeoutSeconds ?? 0;
        EngineLimits.CheckTimeout($"{where}: CallbackOptions.TimeoutSeconds", timeout);
        EngineLimits.CheckTimeout($"{where}: CallbackOptions.HeartbeatTimeoutSeconds", heartbeat);
        DateTimeOffset now = inputs.Now;
        string executionId = workspace.Execution.ExecutionId;
        string callbackId = inputs.MintCallbackId();
        Operation started = workspace.Put(NewOperation(update, now) with { CallbackDetails = new CallbackDetails { CallbackId = callbackId } }, heartbeatTimeoutSeconds: heartbeat).Operation;
        workspace.AddCallback(new CallbackLocation(callbackId, executionId, update.Id));
        workspace.AddEvent(HistoryEventTypes.CallbackStarted, started, new HistoryEventDetails
        {
            CallbackId = callbackId,
            Timeout = timeout > 0 ? timeout : null,
            HeartbeatTimeout = heartbeat > 0 ? heartbeat : null,
        }, now);
        if (timeout > 0)
        {
            workspace.SetTimer(new TimerRecord(executionId, TimerRecord.OperationKey(TimerKind.CallbackTimeout, update.Id), TimerKind.CallbackTimeout, now.AddSeconds(timeout), update.Id));
        }

        if (heartbeat > 0)
        {
            workspace.SetTimer(new TimerRecord(executionId, TimerRecord.OperationKey(TimerKind.CallbackHeartbeat, update.Id), TimerKind.CallbackHeartbeat, now.AddSeconds(heartbeat), update.Id));
        }
    }

    private static void ApplyChainedInvoke(ExecutionWorkspace workspace, Operation? existing, OperationUpdate update, string where, CheckpointInputs inputs)
    {
        DateTimeOffset now = inputs.Now;
        switch (update.Action)
        {
            case OperationAction.Start when existing is null:
                if (string.IsNullOrEmpty(update.ChainedInvokeOptions?.FunctionName) || !inputs.Children.TryGetValue(update.Id, out ChildInvocationPlan? child))
                {
                    throw ServiceErrorCodes.InvalidParameter($"{where}: a CHAINED_INVOKE START update requires ChainedInvokeOptions.FunctionName.");
                }

                Operation started = workspace.Put(NewOperation(update, now)).Operation;
                workspace.AddEvent(HistoryEventTypes.ChainedInvokeStarted, started, new HistoryEventDetails
                {
                    FunctionName = update.ChainedInvokeOptions.FunctionName,
                    TenantId = update.ChainedInvokeOptions.TenantId,
                    Input = EventDetails.Payload(update.Payload),
                    ExecutedVersion = child.Execution.FunctionVersion,
                    DurableExecutionArn = child.DurableExecutionArn,
                }, now);
                // The child is created by this same commit, without an invoke timer of its own: this commit's timer releases it,
                // so a child never runs for a START that was not stored.
                workspace.CreateExecution(ExecutionTransitions.Create(child.Execution, now, invokeNow: false));
                workspace.SetTimer(new TimerRecord(child.Execution.ExecutionId, TimerRecord.InvokeKey, TimerKind.Invoke, now));
                break;
            case OperationAction.Cancel when existing?.Status == OperationStatus.Started:
                Operation cancelled = workspace.Put(existing with { Status = OperationStatus.Cancelled, EndTimestamp = now }).Operation;
                workspace.AddEvent(HistoryEventTypes.ChainedInvokeStopped, cancelled, update.Error is null ? EventDetails.Empty : EventDetails.WithError(update.Error), now);
                break;
            case OperationAction.Succeed or OperationAction.Fail or OperationAction.Retry:
                throw InvalidAction(update, where);
            default:
                throw NotAllowed(update, existing, where);
        }
    }
}
