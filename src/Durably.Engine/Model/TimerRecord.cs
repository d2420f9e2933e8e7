namespace Durably.Engine.Storage;

/// <summary>What happens when a timer is due.</summary>
public enum TimerKind
{
    /// <summary>Start an invocation of the execution.</summary>
    Invoke,
    /// <summary>The running invocation exceeded its lease; it is abandoned and retried.</summary>
    InvocationLease,
    /// <summary>The execution timeout elapsed.</summary>
    ExecutionTimeout,
    /// <summary>A WAIT ended.</summary>
    WaitEnd,
    /// <summary>A STEP retry is due.</summary>
    StepRetry,
    /// <summary>A CALLBACK timed out.</summary>
    CallbackTimeout,
    /// <summary>A CALLBACK missed its heartbeat.</summary>
    CallbackHeartbeat,
    /// <summary>A chained-invoke child closed; complete the parent's operation.</summary>
    ChildCompleted,
    /// <summary>The closed execution's retention ended; purge it. Last: stored kinds are integers.</summary>
    Retention,
}

/// <summary>
/// A durable timer, unique by (<see cref="ExecutionId"/>, <see cref="Key"/>). Timers are the engine's
/// only schedule: waits, retries, callback timeouts, invocations, leases and cross-execution notices.
/// </summary>
/// <param name="ExecutionId">The execution the timer acts on.</param>
/// <param name="Key">Unique per execution, e.g. <c>invoke</c> or <c>wait:&lt;operation id&gt;</c>.</param>
/// <param name="Kind">What to do when due.</param>
/// <param name="DueAt">When it is due.</param>
/// <param name="OperationId">The operation it concerns, if any.</param>
/// <param name="Tag">Kind-specific data: the invocation's request id, or the child execution id.</param>
public sealed record TimerRecord(string ExecutionId, string Key, TimerKind Kind, DateTimeOffset DueAt, string? OperationId = null, string? Tag = null)
{
    /// <summary>Key of the execution's invoke timer.</summary>
    public const string InvokeKey = "invoke";

    /// <summary>Key of the execution's lease timer.</summary>
    public const string LeaseKey = "lease";

    /// <summary>Key of the execution's timeout timer.</summary>
    public const string TimeoutKey = "timeout";

    /// <summary>Key of a closed execution's retention timer.</summary>
    public const string RetentionKey = "retention";

    /// <summary>The key of an operation timer.</summary>
    public static string OperationKey(TimerKind kind, string operationId) => $"{kind}:{operationId}";
}
