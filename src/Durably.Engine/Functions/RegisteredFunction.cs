namespace Durably.Engine;

/// <summary>One registered version of a function.</summary>
public sealed record RegisteredFunction
{
    /// <summary>The function name, 1-64 of <c>[a-zA-Z0-9-_]</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The version, e.g. <c>"1"</c>.</summary>
    public required string Version { get; init; }

    /// <summary>Execution timeout captured by executions at start.</summary>
    public required TimeSpan ExecutionTimeout { get; init; }

    /// <summary>Retention after close captured by executions at start.</summary>
    public required int RetentionPeriodInDays { get; init; }

    /// <summary>How long one invocation may run before it is abandoned and retried.</summary>
    public required TimeSpan InvocationTimeout { get; init; }

    /// <summary>The endpoint of an HTTP function (docs/http-functions.md); null for a function whose code runs in this process.</summary>
    public Uri? Url { get; init; }

    /// <summary>
    /// The trace views of the function (an in-process function's <see cref="DurableFunctionRegistration.Tracing"/>); null:
    /// <see cref="Durably.Telemetry.DurableTracingOptions.Default"/>. The engine reads it for the <c>Workflow</c> span of an
    /// execution it closes itself.
    /// </summary>
    public Durably.Telemetry.DurableTracingOptions? Tracing { get; init; }

    /// <summary>Runs an invocation.</summary>
    public required InvocationHandler Handler { get; init; }
}
