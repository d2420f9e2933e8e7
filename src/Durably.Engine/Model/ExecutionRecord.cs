using Durably.Protocol;

namespace Durably.Engine.Storage;

/// <summary>
/// The stored header of one durable execution: identity, status, outcome, counters and the
/// running invocation. Operations, history events and timers are stored beside it.
/// </summary>
public sealed record ExecutionRecord
{
    /// <summary>The execution id: a GUID, the ARN's last segment and the EXECUTION operation's id.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>The execution ARN.</summary>
    public required string DurableExecutionArn { get; init; }

    /// <summary>The execution name, unique per function while retained.</summary>
    public required string ExecutionName { get; init; }

    /// <summary>The function name (unqualified).</summary>
    public required string FunctionName { get; init; }

    /// <summary>The pinned function version.</summary>
    public required string FunctionVersion { get; init; }

    /// <summary>The qualified ARN of the pinned function version.</summary>
    public required string FunctionArn { get; init; }

    /// <summary>Current status.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>When the execution started.</summary>
    public required DateTimeOffset StartTimestamp { get; init; }

    /// <summary>When it closed.</summary>
    public DateTimeOffset? EndTimestamp { get; init; }

    /// <summary>The raw input, byte-identical to what the start carried.</summary>
    public string? InputPayload { get; init; }

    /// <summary>The result, when SUCCEEDED.</summary>
    public string? Result { get; init; }

    /// <summary>The error, when FAILED, TIMED_OUT or STOPPED.</summary>
    public ErrorObject? Error { get; init; }

    /// <summary>The execution timeout captured at start, in seconds.</summary>
    public required int ExecutionTimeoutSeconds { get; init; }

    /// <summary>The retention captured at start, in days.</summary>
    public required int RetentionPeriodInDays { get; init; }

    /// <summary>Optimistic concurrency stamp: every committed change increments it by one.</summary>
    public long Version { get; init; }

    /// <summary>Number of operations (including the EXECUTION operation); also the next operation sequence.</summary>
    public int OperationCount { get; init; }

    /// <summary>Bytes written so far, counted against <see cref="DurablyOptions.MaxBytesWrittenPerExecution"/>.</summary>
    public long BytesWritten { get; init; }

    /// <summary>Number of history events; the next event gets <c>EventCount + 1</c>.</summary>
    public int EventCount { get; init; }

    /// <summary>Operations the function may suspend on (STEP PENDING/READY, WAIT/CALLBACK/CHAINED_INVOKE STARTED).</summary>
    public int PendingOperationCount { get; init; }

    /// <summary>The invocation in flight, if any (at most one per execution).</summary>
    public InvocationRecord? Invocation { get; init; }

    /// <summary>Invocations started so far.</summary>
    public int InvocationCount { get; init; }

    /// <summary>Failed invocations since the last clean one.</summary>
    public int ConsecutiveInvocationFailures { get; init; }

    /// <summary>When the next invocation is scheduled, if one is.</summary>
    public DateTimeOffset? NextInvocationAt { get; init; }

    /// <summary>Something became ready while an invocation ran: invoke again if it ends PENDING.</summary>
    public bool TriggeredDuringInvocation { get; init; }

    /// <summary>Operations changed asynchronously and not yet returned to the running invocation.</summary>
    public IReadOnlyList<string> UndeliveredOperationIds { get; init; } = [];

    /// <summary>Operations changed asynchronously since the previous invocation (envelope <c>UpdatedOperationIds</c>).</summary>
    public IReadOnlyList<string> UpdatedOperationIds { get; init; } = [];

    /// <summary>
    /// Child-completion notices that arrived while an invocation ran. They are released when it ends, so
    /// the completion follows that invocation's InvocationCompleted, as the service records it.
    /// </summary>
    public IReadOnlyList<TimerRecord> HeldChildNotices { get; init; } = [];

    /// <summary>The invoking execution, when this one was started by a CHAINED_INVOKE.</summary>
    public string? ParentExecutionId { get; init; }

    /// <summary>The invoking CHAINED_INVOKE operation.</summary>
    public string? ParentOperationId { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the invoking operation's span, continued by the first invocation.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The last applied checkpoint, replayed for a retry with the same tokens.</summary>
    public CheckpointReplay? LastCheckpoint { get; init; }

    /// <summary>True once the execution reached a terminal status.</summary>
    public bool IsClosed => Status != ExecutionStatus.Running;

    /// <summary>When a closed execution's retention ends (it is then purged and its name is free); null while running.</summary>
    public DateTimeOffset? RetentionEnd => EndTimestamp?.AddDays(RetentionPeriodInDays);

    /// <summary>True when the execution is closed and its retention ended at or before <paramref name="now"/>: it counts as gone.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => RetentionEnd is { } end && end <= now;
}
