namespace Durably;

/// <summary>How often a step body may run per attempt.</summary>
public enum StepSemantics
{
    /// <summary>Default: a crash after the body but before its checkpoint reruns it.</summary>
    AtLeastOncePerRetry,
    /// <summary>START is durable before the body runs; an interrupted attempt counts as failed and is not rerun blindly.</summary>
    AtMostOncePerRetry,
}

/// <summary>Configuration of a step.</summary>
public sealed record StepConfig
{
    /// <summary>Null: <see cref="Durably.RetryStrategy.Default"/>.</summary>
    public IRetryStrategy? RetryStrategy { get; init; }

    /// <summary>Execution semantics per attempt.</summary>
    public StepSemantics Semantics { get; init; } = StepSemantics.AtLeastOncePerRetry;

    /// <summary>Null: the function's serializer.</summary>
    public IDurableSerializer? Serializer { get; init; }
}

/// <summary>Configuration of a callback.</summary>
public record CallbackConfig
{
    /// <summary>Zero: no timeout.</summary>
    public TimeSpan Timeout { get; init; }

    /// <summary>Zero: no heartbeat timeout.</summary>
    public TimeSpan HeartbeatTimeout { get; init; }

    /// <summary>Null: the function's serializer.</summary>
    public IDurableSerializer? Serializer { get; init; }
}

/// <summary>Configuration of a wait-for-callback.</summary>
public sealed record WaitForCallbackConfig : CallbackConfig
{
    /// <summary>Retry strategy of the submitter step.</summary>
    public IRetryStrategy? RetryStrategy { get; init; }
}

/// <summary>Configuration of a wait-for-condition.</summary>
public sealed record WaitForConditionConfig<TState>
{
    /// <summary>The state the first check receives.</summary>
    public required TState InitialState { get; init; }

    /// <summary>Decides after each check whether to continue and after which delay.</summary>
    public required IWaitStrategy<TState> WaitStrategy { get; init; }

    /// <summary>Null: the function's serializer.</summary>
    public IDurableSerializer? Serializer { get; init; }
}

/// <summary>Configuration of a child context.</summary>
public sealed record ChildContextConfig
{
    /// <summary>Sub-type recorded on the CONTEXT operation (default <c>RunInChildContext</c>).</summary>
    public string? SubType { get; init; }

    /// <summary>Null: the function's serializer.</summary>
    public IDurableSerializer? Serializer { get; init; }

    /// <summary>
    /// Turns the <see cref="ChildContextException"/> of a failed child into the exception the caller sees, on the first
    /// run and on replay alike (a null return keeps the original). What is recorded is the child's error either way.
    /// </summary>
    public Func<Exception, Exception>? ErrorMapping { get; init; }

    /// <summary>
    /// <see cref="NestingType.Flat"/>: a virtual context that records no CONTEXT operation; the function runs inline and
    /// its operations are recorded under this context's parent (they replay; the function itself runs on every invocation).
    /// </summary>
    public NestingType NestingType { get; init; } = NestingType.Nested;
}

/// <summary>When a parallel or map is complete.</summary>
public sealed record CompletionConfig
{
    /// <summary>Complete once this many items succeeded.</summary>
    public int? MinSuccessful { get; init; }

    /// <summary>Fail once more items than this failed.</summary>
    public int? ToleratedFailureCount { get; init; }

    /// <summary>
    /// Fail once more than this share of all items failed: a ratio in [0, 1] as in AWS's .NET SDK (0.25 tolerates a
    /// quarter of the items failing, 1 tolerates all). A value outside [0, 1] throws <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public double? ToleratedFailurePercentage
    {
        get;
        init
        {
            if (value is { } ratio && (ratio is < 0 or > 1 || double.IsNaN(ratio)))
            {
                throw new ArgumentOutOfRangeException(nameof(ToleratedFailurePercentage), ratio,
                    $"ToleratedFailurePercentage is a ratio in [0, 1] (AWS's meaning: 0.1 tolerates 10% of the items failing); got {ratio}. For a percentage p, pass p / 100.");
            }

            field = value;
        }
    }

    /// <summary>Default: fail fast on the first failure.</summary>
    public static CompletionConfig AllSuccessful() => new();

    /// <summary>Run every item whatever fails.</summary>
    public static CompletionConfig AllCompleted() => new() { ToleratedFailurePercentage = 1 };

    /// <summary>Complete at the first success.</summary>
    public static CompletionConfig FirstSuccessful() => new() { MinSuccessful = 1, ToleratedFailurePercentage = 1 };
}

/// <summary>Whether a child context (or each branch or item) gets its own CONTEXT operation.</summary>
public enum NestingType
{
    /// <summary>A CONTEXT per child context, branch or item.</summary>
    Nested,
    /// <summary>No CONTEXT (a virtual context); inner operations are parented to the nearest recorded context (for a batch, the batch).</summary>
    Flat,
}

/// <summary>Configuration of a parallel.</summary>
public sealed record ParallelConfig
{
    /// <summary>Null: unlimited; less than 1 is rejected.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>When the parallel is complete.</summary>
    public CompletionConfig CompletionConfig { get; init; } = CompletionConfig.AllSuccessful();

    /// <summary>Whether each branch gets its own CONTEXT.</summary>
    public NestingType NestingType { get; init; } = NestingType.Nested;

    /// <summary>Serializer of each branch's result.</summary>
    public IDurableSerializer? ItemSerializer { get; init; }

    /// <summary>Serializer of the whole batch result.</summary>
    public IDurableSerializer? Serializer { get; init; }
}

/// <summary>Configuration of a map.</summary>
public sealed record MapConfig<TItem>
{
    /// <summary>Null: unlimited; less than 1 is rejected.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>When the map is complete.</summary>
    public CompletionConfig CompletionConfig { get; init; } = CompletionConfig.AllSuccessful();

    /// <summary>Whether each item gets its own CONTEXT.</summary>
    public NestingType NestingType { get; init; } = NestingType.Nested;

    /// <summary>Names each item's operation.</summary>
    public Func<TItem, int, string>? ItemNamer { get; init; }

    /// <summary>Serializer of each item's result.</summary>
    public IDurableSerializer? ItemSerializer { get; init; }

    /// <summary>Serializer of the whole batch result.</summary>
    public IDurableSerializer? Serializer { get; init; }
}

/// <summary>Configuration of an invoke.</summary>
public sealed record InvokeConfig
{
    /// <summary>Tenant id forwarded to the invoked function.</summary>
    public string? TenantId { get; init; }

    /// <summary>Serializer of the payload.</summary>
    public IDurableSerializer? PayloadSerializer { get; init; }

    /// <summary>Serializer of the result.</summary>
    public IDurableSerializer? ResultSerializer { get; init; }
}
