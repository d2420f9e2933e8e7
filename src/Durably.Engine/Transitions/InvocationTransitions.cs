using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>How an invocation ended, as the engine saw it.</summary>
/// <param name="Output">The function's output, when it returned.</param>
/// <param name="Failure">The invocation failure (crash, invalid output, lost lease), when it did not return cleanly.</param>
internal sealed record InvocationOutcome(DurableExecutionInvocationOutput? Output, ErrorObject? Failure)
{
    public static InvocationOutcome Returned(DurableExecutionInvocationOutput output) => new(output, null);

    public static InvocationOutcome Failed(ErrorObject error) => new(null, error);
}

/// <summary>Invocation transitions: start, complete, fail, retry with backoff (PROTOCOL.md §0, §3.4).</summary>
internal static class InvocationTransitions
{
    public const int MaxConsecutiveFailures = 10;
    public const string CrashErrorType = "Runtime.ExitError";
    public const string MaxInvocationsErrorType = "MaxInvocationsExceeded";
    public const string PendingWithNothingPending = "Cannot return PENDING status with no pending operations.";

    /// <summary>
    /// Starts an invocation if none is in flight and the execution is open; returns the ids changed since
    /// the previous invocation (for the envelope), or null when no invocation was started.
    /// </summary>
    public static IReadOnlyList<string>? Start(
        ExecutionWorkspace workspace, string requestId, string tokenPrefix, string token,
        TimeSpan invocationTimeout, int? maxInvocations, DateTimeOffset now)
    {
        ExecutionRecord execution = workspace.Execution;
        workspace.RemoveTimer(TimerRecord.InvokeKey);
        workspace.Execution = execution with { NextInvocationAt = null };
        if (execution.IsClosed)
        {
            return null;
        }

        if (execution.Invocation is not null)
        {
            workspace.Execution = workspace.Execution with { TriggeredDuringInvocation = true };
            return null;
        }

        if (maxInvocations is { } max && execution.InvocationCount >= max)
        {
            ExecutionTransitions.Close(workspace, ExecutionStatus.Failed, null, new ErrorObject
            {
                ErrorType = MaxInvocationsErrorType,
                ErrorMessage = $"The execution needed more than {max} invocations, the limit set by DurablyOptions.MaxInvocationsPerExecution.",
            }, now);
            return null;
        }

        IReadOnlyList<string> updated = execution.UpdatedOperationIds;
        workspace.Execution = workspace.Execution with
        {
            Invocation = new InvocationRecord(requestId, tokenPrefix, token, now),
            InvocationCount = execution.InvocationCount + 1,
            UpdatedOperationIds = [],
            UndeliveredOperationIds = [],
            TriggeredDuringInvocation = false,
        };
        workspace.SetTimer(new TimerRecord(execution.ExecutionId, TimerRecord.LeaseKey, TimerKind.InvocationLease, now + invocationTimeout, Tag: requestId));
        return updated;
    }

    /// <summary>Applies the end of invocation <paramref name="requestId"/>; a zombie (no longer current) changes nothing.</summary>
    public static void Complete(ExecutionWorkspace workspace, string requestId, InvocationOutcome outcome, long maxBytesWritten, DateTimeOffset now)
    {
        ExecutionRecord execution = workspace.Execution;
        if (execution.Invocation is not { } invocation || invocation.RequestId != requestId)
        {
            return;
        }

        workspace.RemoveTimer(TimerRecord.LeaseKey);
        DurableExecutionInvocationOutput? output = outcome.Output;
        ErrorObject? failure = outcome.Failure ?? CheckOutput(execution, output);
        if (failure is not null)
        {
            Fail(workspace, invocation, failure, now);
            return;
        }

        workspace.AddEvent(HistoryEventTypes.InvocationCompleted, null, CompletedDetails(invocation, now, null), now);
        ExecutionTransitions.ReleaseHeldChildNotices(workspace, now);
        bool triggered = execution.TriggeredDuringInvocation;
        workspace.Execution = workspace.Execution with
        {
            Invocation = null,
            ConsecutiveInvocationFailures = 0,
            TriggeredDuringInvocation = false,
            UndeliveredOperationIds = [],
        };
        switch (output!.Status)
        {
            case InvocationStatus.Succeeded:
                CloseWithinLimit(workspace, ExecutionStatus.Succeeded, output.Result, null, maxBytesWritten, now);
                break;
            case InvocationStatus.Failed:
                CloseWithinLimit(workspace, ExecutionStatus.Failed, null, output.Error ?? new ErrorObject { ErrorMessage = "The function failed." }, maxBytesWritten, now);
                break;
            default:
                if (triggered)
                {
                    ExecutionTransitions.ScheduleInvocation(workspace, now);
                }

                break;
        }
    }

    /// <summary>The lease of invocation <paramref name="requestId"/> ran out: it is abandoned and retried.</summary>
    public static void Expire(ExecutionWorkspace workspace, string? requestId, DateTimeOffset now)
    {
        workspace.RemoveTimer(TimerRecord.LeaseKey);
        if (workspace.Execution.Invocation is { } invocation && invocation.RequestId == requestId)
        {
            Fail(workspace, invocation, new ErrorObject
            {
                ErrorType = CrashErrorType,
                ErrorMessage = "The invocation did not finish within its invocation timeout.",
            }, now);
        }
    }

    public static HistoryEventDetails CompletedDetails(InvocationRecord invocation, DateTimeOffset now, ErrorObject? error) => new()
    {
        StartTimestamp = invocation.StartTimestamp,
        EndTimestamp = now,
        RequestId = invocation.RequestId,
        Error = error is null ? null : EventDetails.Error(error),
    };

    /// <summary>Backoff after the n-th consecutive failure: 1 s, 2 s, 4 s … capped at 60 s.</summary>
    public static TimeSpan Backoff(int failures) => TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Max(0, failures - 1))));

    /// <summary>An outcome that would take the execution over its write limit is not stored: the execution fails with the violation instead.</summary>
    private static void CloseWithinLimit(ExecutionWorkspace workspace, ExecutionStatus status, string? result, ErrorObject? error, long maxBytesWritten, DateTimeOffset now)
    {
        long bytes = EngineLimits.PayloadBytes(result) + EngineLimits.ErrorBytes(error);
        string what = status == ExecutionStatus.Succeeded ? "The execution result" : "The execution error";
        if (EngineLimits.BytesWrittenViolation(workspace.Execution, what, bytes, maxBytesWritten) is { } violation)
        {
            ExecutionTransitions.Close(workspace, ExecutionStatus.Failed, null,
                new ErrorObject { ErrorType = ServiceErrorCodes.InvalidParameterValue, ErrorMessage = violation }, now);
            return;
        }

        ExecutionTransitions.Close(workspace, status, result, error, now);
    }

    private static ErrorObject? CheckOutput(ExecutionRecord execution, DurableExecutionInvocationOutput? output)
    {
        string? problem = output switch
        {
            null => "The function returned no output.",
            { Status: InvocationStatus.Pending } when execution.PendingOperationCount == 0 && !execution.TriggeredDuringInvocation => PendingWithNothingPending,
            { Status: InvocationStatus.Succeeded, Error: not null } => "A SUCCEEDED output must not carry an Error.",
            { Status: InvocationStatus.Failed, Result: not null } => "A FAILED output must not carry a Result.",
            _ => null,
        };
        return problem is null ? null : new ErrorObject { ErrorType = "InvalidOutputError", ErrorMessage = problem };
    }

    private static void Fail(ExecutionWorkspace workspace, InvocationRecord invocation, ErrorObject error, DateTimeOffset now)
    {
        workspace.AddEvent(HistoryEventTypes.InvocationCompleted, null, CompletedDetails(invocation, now, error), now);
        ExecutionTransitions.ReleaseHeldChildNotices(workspace, now);
        int failures = workspace.Execution.ConsecutiveInvocationFailures + 1;
        workspace.Execution = workspace.Execution with
        {
            Invocation = null,
            ConsecutiveInvocationFailures = failures,
            TriggeredDuringInvocation = false,
            UndeliveredOperationIds = [],
        };
        if (failures >= MaxConsecutiveFailures)
        {
            ExecutionTransitions.Close(workspace, ExecutionStatus.Failed, null, error, now);
        }
        else
        {
            ExecutionTransitions.ScheduleInvocation(workspace, now + Backoff(failures));
        }
    }
}
