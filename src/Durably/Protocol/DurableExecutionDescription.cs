namespace Durably.Protocol;

/// <summary>GetDurableExecution response (PROTOCOL.md §2.3).</summary>
public sealed record DurableExecutionDescription
{
    /// <summary>The execution ARN.</summary>
    public required string DurableExecutionArn { get; init; }

    /// <summary>The execution name.</summary>
    public required string DurableExecutionName { get; init; }

    /// <summary>Qualified ARN of the pinned function version.</summary>
    public required string FunctionArn { get; init; }

    /// <summary>Current status.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartTimestamp { get; init; }

    /// <summary>When it closed.</summary>
    public DateTimeOffset? EndTimestamp { get; init; }

    /// <summary>The raw input.</summary>
    public string? InputPayload { get; init; }

    /// <summary>The result, when SUCCEEDED.</summary>
    public string? Result { get; init; }

    /// <summary>The error, when FAILED, TIMED_OUT or STOPPED.</summary>
    public ErrorObject? Error { get; init; }

    /// <summary>The pinned function version.</summary>
    public string? Version { get; init; }

    /// <summary>Whether input, result and error are included.</summary>
    public bool? ExecutionDataIncluded { get; init; }

    /// <summary>The configuration captured at start.</summary>
    public DurableConfig? DurableConfig { get; init; }
}

/// <summary>A function's durable configuration (PROTOCOL.md §2.2).</summary>
public sealed record DurableConfig
{
    /// <summary>Execution timeout in seconds, 1..31,622,400.</summary>
    public int ExecutionTimeout { get; init; }

    /// <summary>Retention after close in days, 1..90.</summary>
    public int RetentionPeriodInDays { get; init; }
}

/// <summary>One row of ListDurableExecutionsByFunction (PROTOCOL.md §2.4).</summary>
public sealed record DurableExecutionSummary
{
    /// <summary>The execution ARN.</summary>
    public required string DurableExecutionArn { get; init; }

    /// <summary>The execution name.</summary>
    public required string DurableExecutionName { get; init; }

    /// <summary>Qualified ARN of the pinned function version.</summary>
    public required string FunctionArn { get; init; }

    /// <summary>Current status.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartTimestamp { get; init; }

    /// <summary>When it closed.</summary>
    public DateTimeOffset? EndTimestamp { get; init; }
}
