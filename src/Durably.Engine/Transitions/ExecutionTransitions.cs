using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>What a new execution is created from.</summary>
internal sealed record NewExecution(
    string ExecutionId,
    string ExecutionName,
    string FunctionName,
    string FunctionVersion,
    string FunctionArn,
    string? InputPayload,
    int ExecutionTimeoutSeconds,
    int RetentionPeriodInDays,
    string? ParentExecutionId = null,
    string? ParentOperationId = null,
    string? TraceParent = null);

/// <summary>Execution-level transitions: create, close, trigger, stop, time out.</summary>
internal static class ExecutionTransitions
{
    public const string DefaultStopMessage = "Execution stopped by user request";

    /// <summary>
    /// The change creating an execution: header, EXECUTION operation, ExecutionStarted, its timeout timer,
    /// and (unless <paramref name="invokeNow"/> is false: a chained child waits for its parent's commit) an invoke timer.
    /// </summary>
    public static ExecutionChange Create(NewExecution spec, DateTimeOffset now, bool invokeNow) => CreateWorkspace(spec, now, invokeNow).ToChange();

    /// <summary>The workspace of <see cref="Create"/>, for a caller that adds to the same change (the first invocation's claim).</summary>
    public static ExecutionWorkspace CreateWorkspace(NewExecution spec, DateTimeOffset now, bool invokeNow)
    {
        var execution = new ExecutionRecord
        {
            ExecutionId = spec.ExecutionId,
            DurableExecutionArn = ExecutionArn.Create(spec.FunctionArn, spec.ExecutionName, spec.ExecutionId),
            ExecutionName = spec.ExecutionName,
            FunctionName = spec.FunctionName,
            FunctionVersion = spec.FunctionVersion,
            FunctionArn = spec.FunctionArn,
            Status = ExecutionStatus.Running,
            StartTimestamp = now,
            InputPayload = spec.InputPayload,
            ExecutionTimeoutSeconds = spec.ExecutionTimeoutSeconds,
            RetentionPeriodInDays = spec.RetentionPeriodInDays,
            ParentExecutionId = spec.ParentExecutionId,
            ParentOperationId = spec.ParentOperationId,
            TraceParent = spec.TraceParent,
        };
        ExecutionWorkspace workspace = ExecutionWorkspace.ForNew(execution);
        workspace.AddStatusEvent(now);
        workspace.AddBytesWritten(EngineLimits.PayloadBytes(spec.InputPayload));
        Operation operation = workspace.Put(new Operation
        {
            Id = spec.ExecutionId,
            Name = spec.ExecutionName,
            Type = OperationType.Execution,
            Status = OperationStatus.Started,
            StartTimestamp = now,
            ExecutionDetails = new ExecutionDetails { InputPayload = spec.InputPayload },
        }).Operation;
        workspace.AddEvent(HistoryEventTypes.ExecutionStarted, operation, new HistoryEventDetails
        {
            Input = EventDetails.Payload(spec.InputPayload),
            ExecutionTimeout = spec.ExecutionTimeoutSeconds,
        }, now);
        workspace.SetTimer(new TimerRecord(spec.ExecutionId, TimerRecord.TimeoutKey, TimerKind.ExecutionTimeout, now.AddSeconds(spec.ExecutionTimeoutSeconds)));
        if (invokeNow)
        {
            ScheduleInvocation(workspace, now);
        }

        return workspace;
    }

    /// <summary>Schedules an invocation at <paramref name="dueAt"/> unless an earlier one is scheduled.</summary>
    public static void ScheduleInvocation(ExecutionWorkspace workspace, DateTimeOffset dueAt)
    {
        ExecutionRecord execution = workspace.Execution;
        if (execution.NextInvocationAt is { } scheduled && scheduled <= dueAt)
        {
            return;
        }

        workspace.Execution = execution with { NextInvocationAt = dueAt };
        workspace.SetTimer(new TimerRecord(execution.ExecutionId, TimerRecord.InvokeKey, TimerKind.Invoke, dueAt));
    }

    /// <summary>Re-schedules the due invoke timer for <paramref name="dueAt"/> (the function version is not hosted yet).</summary>
    public static void ScheduleInvocationAfterRemoval(ExecutionWorkspace workspace, DateTimeOffset dueAt)
    {
        workspace.Execution = workspace.Execution with { NextInvocationAt = null };
        ScheduleInvocation(workspace, dueAt);
    }

    /// <summary>
    /// An operation changed outside an invocation (timer, callback, child): deliver it to the running
    /// invocation's next checkpoint, or invoke the function now.
    /// </summary>
    public static void Trigger(ExecutionWorkspace workspace, string operationId, DateTimeOffset now)
    {
        ExecutionRecord execution = workspace.Execution;
        workspace.Execution = execution with { UpdatedOperationIds = AddDistinct(execution.UpdatedOperationIds, operationId) };
        if (execution.Invocation is not null)
        {
            workspace.Execution = workspace.Execution with
            {
                UndeliveredOperationIds = AddDistinct(execution.UndeliveredOperationIds, operationId),
                TriggeredDuringInvocation = true,
            };
        }
        else
        {
            ScheduleInvocation(workspace, now);
        }
    }

    /// <summary>An invocation ended: child-completion notices held during it fire now.</summary>
    public static void ReleaseHeldChildNotices(ExecutionWorkspace workspace, DateTimeOffset now)
    {
        foreach (TimerRecord notice in workspace.Execution.HeldChildNotices)
        {
            workspace.SetTimer(notice with { DueAt = now });
        }

        workspace.Execution = workspace.Execution with { HeldChildNotices = [] };
    }

    /// <summary>
    /// Closes the execution: a running invocation is recorded as completed first, then the terminal event
    /// (always the last event), timers are dropped but for the retention timer, and a parent waiting on this child is notified.
    /// </summary>
    public static void Close(ExecutionWorkspace workspace, ExecutionStatus status, string? result, ErrorObject? error, DateTimeOffset now)
    {
        ExecutionRecord execution = workspace.Execution;
        if (execution.Invocation is { } invocation)
        {
            workspace.AddEvent(HistoryEventTypes.InvocationCompleted, null, InvocationTransitions.CompletedDetails(invocation, now, null), now);
        }

        workspace.Execution = workspace.Execution with
        {
            Status = status,
            EndTimestamp = now,
            Result = status == ExecutionStatus.Succeeded ? result : null,
            Error = status == ExecutionStatus.Succeeded ? null : error,
            Invocation = null,
            NextInvocationAt = null,
            TriggeredDuringInvocation = false,
            UndeliveredOperationIds = [],
        };
        workspace.AddStatusEvent(now);
        // Counted, not checked: callers that can refuse the outcome check it first.
        workspace.AddBytesWritten(status == ExecutionStatus.Succeeded ? EngineLimits.PayloadBytes(result) : EngineLimits.ErrorBytes(error));
        if (workspace.Find(execution.ExecutionId) is { } executionOperation)
        {
            workspace.Put(executionOperation.Operation with { Status = ToOperationStatus(status), EndTimestamp = now });
        }

        (string eventType, HistoryEventDetails details) = status switch
        {
            ExecutionStatus.Succeeded => (HistoryEventTypes.ExecutionSucceeded, EventDetails.WithResult(result)),
            ExecutionStatus.Failed => (HistoryEventTypes.ExecutionFailed, EventDetails.WithError(error)),
            ExecutionStatus.TimedOut => (HistoryEventTypes.ExecutionTimedOut, EventDetails.WithError(error)),
            _ => (HistoryEventTypes.ExecutionStopped, EventDetails.WithError(error)),
        };
        workspace.AddEvent(eventType, workspace.Find(execution.ExecutionId)?.Operation, details, now);
        workspace.RemoveAllTimers();
        ArmRetention(workspace);
        if (execution.ParentExecutionId is { } parentId && execution.ParentOperationId is { } parentOperationId)
        {
            workspace.SetTimer(new TimerRecord(parentId, TimerRecord.OperationKey(TimerKind.ChildCompleted, parentOperationId),
                TimerKind.ChildCompleted, now, parentOperationId, execution.ExecutionId));
        }

        workspace.ClosedExecution = true;
    }

    /// <summary>
    /// Sets the retention timer of a closed execution, due when its retention ends (the store applies it after
    /// the close's RemoveAllTimers); drops a stray one from a running execution.
    /// </summary>
    public static void ArmRetention(ExecutionWorkspace workspace)
    {
        ExecutionRecord execution = workspace.Execution;
        if (execution.RetentionEnd is { } end)
        {
            workspace.SetTimer(new TimerRecord(execution.ExecutionId, TimerRecord.RetentionKey, TimerKind.Retention, end));
        }
        else
        {
            workspace.RemoveTimer(TimerRecord.RetentionKey);
        }
    }

    /// <summary>StopDurableExecution: closes a running execution STOPPED; a closed one is left as it is.</summary>
    public static DateTimeOffset Stop(ExecutionWorkspace workspace, ErrorObject? error, DateTimeOffset now)
    {
        if (workspace.Execution.IsClosed)
        {
            return workspace.Execution.EndTimestamp ?? now;
        }

        Close(workspace, ExecutionStatus.Stopped, null, error ?? new ErrorObject { ErrorMessage = DefaultStopMessage }, now);
        return now;
    }

    /// <summary>The execution timeout elapsed.</summary>
    public static void TimeOut(ExecutionWorkspace workspace, DateTimeOffset now)
    {
        ExecutionRecord execution = workspace.Execution;
        workspace.RemoveTimer(TimerRecord.TimeoutKey);
        if (execution.IsClosed)
        {
            return;
        }

        Close(workspace, ExecutionStatus.TimedOut, null, new ErrorObject
        {
            ErrorType = "Execution.TimedOut",
            ErrorMessage = $"Execution timed out after {execution.ExecutionTimeoutSeconds} seconds.",
        }, now);
    }

    public static OperationStatus ToOperationStatus(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Succeeded => OperationStatus.Succeeded,
        ExecutionStatus.Failed => OperationStatus.Failed,
        ExecutionStatus.TimedOut => OperationStatus.TimedOut,
        ExecutionStatus.Stopped => OperationStatus.Stopped,
        _ => OperationStatus.Started,
    };

    private static IReadOnlyList<string> AddDistinct(IReadOnlyList<string> ids, string id) =>
        ids.Contains(id, StringComparer.Ordinal) ? ids : [.. ids, id];
}
