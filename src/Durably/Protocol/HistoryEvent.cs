using System.Text.Json.Serialization;

namespace Durably.Protocol;

/// <summary>
/// One event of GetDurableExecutionHistory (PROTOCOL.md §2.5). On the wire <see cref="Details"/> is
/// written under the key <c>&lt;EventType&gt;Details</c> and is never omitted (<c>{}</c> when empty).
/// </summary>
[JsonConverter(typeof(HistoryEventJsonConverter))]
public sealed record HistoryEvent
{
    /// <summary>E.g. <c>StepSucceeded</c>; see <see cref="HistoryEventTypes"/>.</summary>
    public required string EventType { get; init; }

    /// <summary>1-based, contiguous.</summary>
    public required int EventId { get; init; }

    /// <summary>When the event was recorded.</summary>
    public required DateTimeOffset EventTimestamp { get; init; }

    /// <summary>The operation id (absent for InvocationCompleted).</summary>
    public string? Id { get; init; }

    /// <summary>The operation name.</summary>
    public string? Name { get; init; }

    /// <summary>The operation's parent id.</summary>
    public string? ParentId { get; init; }

    /// <summary>The operation's sub-type.</summary>
    public string? SubType { get; init; }

    /// <summary>The event's details object.</summary>
    public HistoryEventDetails Details { get; init; } = new();
}

/// <summary>
/// The fields of any <c>&lt;EventType&gt;Details</c> object; each event type uses the subset
/// PROTOCOL.md §2.5 lists. Absent fields are omitted on the wire.
/// </summary>
public sealed record HistoryEventDetails
{
    /// <summary>ExecutionStarted, ChainedInvokeStarted: the input.</summary>
    public EventPayload? Input { get; init; }

    /// <summary>Succeeded events: the result.</summary>
    public EventPayload? Result { get; init; }

    /// <summary>Failed, stopped and timed-out events, InvocationCompleted: the error.</summary>
    public EventError? Error { get; init; }

    /// <summary>ExecutionStarted: the execution timeout in seconds.</summary>
    public int? ExecutionTimeout { get; init; }

    /// <summary>StepSucceeded, StepFailed: attempt details.</summary>
    public RetryDetails? RetryDetails { get; init; }

    /// <summary>WaitStarted, WaitSucceeded: the wait in seconds.</summary>
    public int? Duration { get; init; }

    /// <summary>WaitStarted: when the wait ends.</summary>
    public DateTimeOffset? ScheduledEndTimestamp { get; init; }

    /// <summary>CallbackStarted: the callback id.</summary>
    public string? CallbackId { get; init; }

    /// <summary>CallbackStarted: the timeout in seconds.</summary>
    public int? Timeout { get; init; }

    /// <summary>CallbackStarted: the heartbeat timeout in seconds.</summary>
    public int? HeartbeatTimeout { get; init; }

    /// <summary>ChainedInvokeStarted: the invoked function.</summary>
    public string? FunctionName { get; init; }

    /// <summary>ChainedInvokeStarted: the tenant.</summary>
    public string? TenantId { get; init; }

    /// <summary>ChainedInvokeStarted: the version the child runs.</summary>
    public string? ExecutedVersion { get; init; }

    /// <summary>ChainedInvokeStarted: the child execution's ARN.</summary>
    public string? DurableExecutionArn { get; init; }

    /// <summary>InvocationCompleted: when the invocation started.</summary>
    public DateTimeOffset? StartTimestamp { get; init; }

    /// <summary>InvocationCompleted: when it ended.</summary>
    public DateTimeOffset? EndTimestamp { get; init; }

    /// <summary>InvocationCompleted: the invocation's request id.</summary>
    public string? RequestId { get; init; }
}

/// <summary>A payload inside a history event.</summary>
public sealed record EventPayload
{
    /// <summary>The payload, absent when not included.</summary>
    public string? Payload { get; init; }

    /// <summary>True when the payload was too large to embed.</summary>
    public bool? Truncated { get; init; }
}

/// <summary>An error inside a history event.</summary>
public sealed record EventError
{
    /// <summary>The error object.</summary>
    public ErrorObject? Payload { get; init; }

    /// <summary>True when the error was too large to embed.</summary>
    public bool? Truncated { get; init; }
}

/// <summary>Attempt details of step events.</summary>
public sealed record RetryDetails
{
    /// <summary>The attempt that just finished (1-based).</summary>
    public int? CurrentAttempt { get; init; }

    /// <summary>Delay until the next attempt, when one is scheduled.</summary>
    public int? NextAttemptDelaySeconds { get; init; }
}

/// <summary>The history event type names.</summary>
public static class HistoryEventTypes
{
#pragma warning disable CS1591 // The names are the documentation.
    public const string ExecutionStarted = nameof(ExecutionStarted);
    public const string ExecutionSucceeded = nameof(ExecutionSucceeded);
    public const string ExecutionFailed = nameof(ExecutionFailed);
    public const string ExecutionTimedOut = nameof(ExecutionTimedOut);
    public const string ExecutionStopped = nameof(ExecutionStopped);
    public const string ContextStarted = nameof(ContextStarted);
    public const string ContextSucceeded = nameof(ContextSucceeded);
    public const string ContextFailed = nameof(ContextFailed);
    public const string WaitStarted = nameof(WaitStarted);
    public const string WaitSucceeded = nameof(WaitSucceeded);
    public const string WaitCancelled = nameof(WaitCancelled);
    public const string StepStarted = nameof(StepStarted);
    public const string StepSucceeded = nameof(StepSucceeded);
    public const string StepFailed = nameof(StepFailed);
    public const string ChainedInvokeStarted = nameof(ChainedInvokeStarted);
    public const string ChainedInvokeSucceeded = nameof(ChainedInvokeSucceeded);
    public const string ChainedInvokeFailed = nameof(ChainedInvokeFailed);
    public const string ChainedInvokeTimedOut = nameof(ChainedInvokeTimedOut);
    public const string ChainedInvokeStopped = nameof(ChainedInvokeStopped);
    public const string CallbackStarted = nameof(CallbackStarted);
    public const string CallbackSucceeded = nameof(CallbackSucceeded);
    public const string CallbackFailed = nameof(CallbackFailed);
    public const string CallbackTimedOut = nameof(CallbackTimedOut);
    public const string InvocationCompleted = nameof(InvocationCompleted);
#pragma warning restore CS1591
}
