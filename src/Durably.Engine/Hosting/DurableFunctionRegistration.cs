namespace Durably;

/// <summary>How a function is registered: its version and durable configuration (API.md §3).</summary>
public sealed class DurableFunctionRegistration
{
    /// <summary>The version; registering another version keeps both.</summary>
    /// <value>Default <c>"1"</c>.</value>
    public string Version { get; set; } = "1";

    /// <summary>Execution timeout, captured by each execution at start (1 s .. 366 days).</summary>
    /// <value>Default 1 day.</value>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a closed execution stays readable and holds its name (1 .. 90 days).</summary>
    /// <value>Default 14.</value>
    public int RetentionPeriodInDays { get; set; } = 14;

    /// <summary>How long one invocation may run before it is abandoned and retried.</summary>
    /// <value>Default 15 minutes.</value>
    public TimeSpan InvocationTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The function's payload serializer; null is <see cref="JsonDurableSerializer.Default"/>.</summary>
    public IDurableSerializer? Serializer { get; set; }

    /// <summary>The trace views of an in-process function; null: <see cref="Telemetry.DurableTracingOptions.Default"/> (docs/observability.md).</summary>
    public Telemetry.DurableTracingOptions? Tracing { get; set; }
}
