namespace Durably.Protocol;

/// <summary>One item of a checkpoint request (PROTOCOL.md §2.8).</summary>
public sealed record OperationUpdate
{
    /// <summary>Operation id.</summary>
    public required string Id { get; init; }

    /// <summary>Enclosing CONTEXT id.</summary>
    public string? ParentId { get; init; }

    /// <summary>Operation name.</summary>
    public string? Name { get; init; }

    /// <summary>Operation type.</summary>
    public required OperationType Type { get; init; }

    /// <summary>Sub-type.</summary>
    public string? SubType { get; init; }

    /// <summary>What to do.</summary>
    public required OperationAction Action { get; init; }

    /// <summary>Result, state or input payload.</summary>
    public string? Payload { get; init; }

    /// <summary>Error for FAIL or RETRY.</summary>
    public ErrorObject? Error { get; init; }

    /// <summary>CONTEXT options.</summary>
    public ContextOptions? ContextOptions { get; init; }

    /// <summary>STEP options (required for RETRY).</summary>
    public StepOptions? StepOptions { get; init; }

    /// <summary>WAIT options (required for START).</summary>
    public WaitOptions? WaitOptions { get; init; }

    /// <summary>CALLBACK options.</summary>
    public CallbackOptions? CallbackOptions { get; init; }

    /// <summary>CHAINED_INVOKE options (required for START).</summary>
    public ChainedInvokeOptions? ChainedInvokeOptions { get; init; }
}

/// <summary>CONTEXT update options.</summary>
public sealed record ContextOptions
{
    /// <summary>True when the result is not stored and children must be replayed.</summary>
    public bool? ReplayChildren { get; init; }
}

/// <summary>STEP update options.</summary>
public sealed record StepOptions
{
    /// <summary>Delay before the next attempt, 1..31,622,400 seconds.</summary>
    public int? NextAttemptDelaySeconds { get; init; }
}

/// <summary>WAIT update options.</summary>
public sealed record WaitOptions
{
    /// <summary>Wait length, 1..31,622,400 seconds.</summary>
    public int? WaitSeconds { get; init; }
}

/// <summary>CALLBACK update options.</summary>
public sealed record CallbackOptions
{
    /// <summary>Timeout in seconds; 0 or absent means none.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Heartbeat timeout in seconds; 0 or absent means none.</summary>
    public int? HeartbeatTimeoutSeconds { get; init; }
}

/// <summary>CHAINED_INVOKE update options.</summary>
public sealed record ChainedInvokeOptions
{
    /// <summary>The function to invoke: name, <c>name:version</c> or function ARN.</summary>
    public required string FunctionName { get; init; }

    /// <summary>Tenant id forwarded to the invoked function.</summary>
    public string? TenantId { get; init; }

    /// <summary>
    /// Durably extension: the W3C <c>traceparent</c> of the calling operation's span. The engine stores it with
    /// the invoked execution, whose first invocation continues that trace (docs/observability.md).
    /// </summary>
    public string? TraceParent { get; init; }
}
