namespace Durably.Protocol;

/// <summary>A durable operation as stored by the service and seen by the SDK (PROTOCOL.md §2.9).</summary>
public sealed record Operation
{
    /// <summary>Opaque id, 1–64 of <c>[a-zA-Z0-9-_]</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Id of the enclosing CONTEXT; absent at the root.</summary>
    public string? ParentId { get; init; }

    /// <summary>Name given by the code; absent when unnamed.</summary>
    public string? Name { get; init; }

    /// <summary>The operation's type.</summary>
    public required OperationType Type { get; init; }

    /// <summary>Free-text sub-type, e.g. <c>Step</c>, <c>Parallel</c>.</summary>
    public string? SubType { get; init; }

    /// <summary>Current status.</summary>
    public required OperationStatus Status { get; init; }

    /// <summary>When it first started.</summary>
    public DateTimeOffset? StartTimestamp { get; init; }

    /// <summary>When it reached its terminal status.</summary>
    public DateTimeOffset? EndTimestamp { get; init; }

    /// <summary>EXECUTION only.</summary>
    public ExecutionDetails? ExecutionDetails { get; init; }

    /// <summary>CONTEXT only.</summary>
    public ContextDetails? ContextDetails { get; init; }

    /// <summary>STEP only.</summary>
    public StepDetails? StepDetails { get; init; }

    /// <summary>WAIT only.</summary>
    public WaitDetails? WaitDetails { get; init; }

    /// <summary>CALLBACK only.</summary>
    public CallbackDetails? CallbackDetails { get; init; }

    /// <summary>CHAINED_INVOKE only.</summary>
    public ChainedInvokeDetails? ChainedInvokeDetails { get; init; }
}

/// <summary>Details of the EXECUTION operation.</summary>
public sealed record ExecutionDetails
{
    /// <summary>The execution's raw input.</summary>
    public string? InputPayload { get; init; }
}

/// <summary>Details of a CONTEXT operation.</summary>
public sealed record ContextDetails
{
    /// <summary>True when the result was too large to store and children must be replayed to rebuild it.</summary>
    public bool? ReplayChildren { get; init; }

    /// <summary>The serialized result.</summary>
    public string? Result { get; init; }

    /// <summary>The recorded error.</summary>
    public ErrorObject? Error { get; init; }
}

/// <summary>Details of a STEP operation.</summary>
public sealed record StepDetails
{
    /// <summary>Number of finished attempts.</summary>
    public int? Attempt { get; init; }

    /// <summary>When the next attempt is due (status PENDING).</summary>
    public DateTimeOffset? NextAttemptTimestamp { get; init; }

    /// <summary>The serialized result (or polled state for wait-for-condition).</summary>
    public string? Result { get; init; }

    /// <summary>The last attempt's error.</summary>
    public ErrorObject? Error { get; init; }
}

/// <summary>Details of a WAIT operation.</summary>
public sealed record WaitDetails
{
    /// <summary>When the wait ends.</summary>
    public DateTimeOffset? ScheduledEndTimestamp { get; init; }
}

/// <summary>Details of a CALLBACK operation.</summary>
public sealed record CallbackDetails
{
    /// <summary>The id to answer the callback with, minted by the service.</summary>
    public string? CallbackId { get; init; }

    /// <summary>The raw success body.</summary>
    public string? Result { get; init; }

    /// <summary>The failure or timeout error.</summary>
    public ErrorObject? Error { get; init; }
}

/// <summary>Details of a CHAINED_INVOKE operation.</summary>
public sealed record ChainedInvokeDetails
{
    /// <summary>The invoked execution's result.</summary>
    public string? Result { get; init; }

    /// <summary>The invoked execution's error.</summary>
    public ErrorObject? Error { get; init; }
}
