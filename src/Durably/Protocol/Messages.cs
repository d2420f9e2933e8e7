using System.Text.Json.Serialization;

namespace Durably.Protocol;

/// <summary>CheckpointDurableExecution request (PROTOCOL.md §2.8).</summary>
public sealed record CheckpointDurableExecutionRequest
{
    /// <summary>The execution; carried in the URL path on the wire.</summary>
    [JsonIgnore]
    public string DurableExecutionArn { get; init; } = "";

    /// <summary>The latest token of the running invocation.</summary>
    public required string CheckpointToken { get; init; }

    /// <summary>Idempotency token for retries of the same request.</summary>
    public string? ClientToken { get; init; }

    /// <summary>Updates, applied in order and atomically; may be empty (a poll).</summary>
    public IReadOnlyList<OperationUpdate>? Updates { get; init; }
}

/// <summary>CheckpointDurableExecution response.</summary>
public sealed record CheckpointDurableExecutionResponse
{
    /// <summary>The token for the next checkpoint.</summary>
    public required string CheckpointToken { get; init; }

    /// <summary>Operations touched by the request and changed since last delivered.</summary>
    public CheckpointUpdatedExecutionState? NewExecutionState { get; init; }
}

/// <summary>Operations returned by a checkpoint.</summary>
public sealed record CheckpointUpdatedExecutionState
{
    /// <summary>Full records of changed operations.</summary>
    public IReadOnlyList<Operation> Operations { get; init; } = [];

    /// <summary>Marker of the next page, if any.</summary>
    public string? NextMarker { get; init; }
}

/// <summary>GetDurableExecutionState request (PROTOCOL.md §2.9).</summary>
public sealed record GetDurableExecutionStateRequest
{
    /// <summary>The execution (URL path on the wire).</summary>
    public required string DurableExecutionArn { get; init; }

    /// <summary>A token of the running invocation.</summary>
    public required string CheckpointToken { get; init; }

    /// <summary>Page marker.</summary>
    public string? Marker { get; init; }

    /// <summary>Page size, 1..1000 (default 100).</summary>
    public int? MaxItems { get; init; }
}

/// <summary>GetDurableExecutionState response.</summary>
public sealed record GetDurableExecutionStateResponse
{
    /// <summary>Operations in start order, EXECUTION first.</summary>
    public IReadOnlyList<Operation> Operations { get; init; } = [];

    /// <summary>Marker of the next page, if any.</summary>
    public string? NextMarker { get; init; }
}

/// <summary>The invocation envelope the service sends to the function (PROTOCOL.md §2.10).</summary>
public sealed record DurableExecutionInvocationInput
{
    /// <summary>The execution.</summary>
    public required string DurableExecutionArn { get; init; }

    /// <summary>The first checkpoint token of this invocation.</summary>
    public required string CheckpointToken { get; init; }

    /// <summary>The operations so far, first page.</summary>
    public required InitialExecutionState InitialExecutionState { get; init; }

    /// <summary>Ids changed since the previous invocation.</summary>
    public IReadOnlyList<string>? UpdatedOperationIds { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> this invocation continues (a chained-invoke child's first invocation), or null.
    /// Not on the wire: an HTTP function gets it as the parent of the engine's <c>Invoke</c> span.
    /// </summary>
    [JsonIgnore]
    public string? TraceParent { get; init; }
}

/// <summary>First page of operations in the invocation envelope.</summary>
public sealed record InitialExecutionState
{
    /// <summary>Operations, EXECUTION first.</summary>
    public IReadOnlyList<Operation> Operations { get; init; } = [];

    /// <summary>Marker of the next page, if any.</summary>
    public string? NextMarker { get; init; }
}

/// <summary>What the function returns for one invocation.</summary>
public sealed record DurableExecutionInvocationOutput
{
    /// <summary>SUCCEEDED, FAILED or PENDING.</summary>
    public required InvocationStatus Status { get; init; }

    /// <summary>Serialized result when SUCCEEDED.</summary>
    public string? Result { get; init; }

    /// <summary>Error when FAILED.</summary>
    public ErrorObject? Error { get; init; }
}
