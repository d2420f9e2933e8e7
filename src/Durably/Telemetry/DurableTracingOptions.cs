namespace Durably.Telemetry;

/// <summary>Which of AWS's two trace models the SDK emits (docs/observability.md).</summary>
[Flags]
public enum DurableTraceViews
{
    /// <summary>No spans.</summary>
    None = 0,

    /// <summary>Operation spans hang under the <c>Invocation</c> span that ran them and link to the execution's <c>Workflow</c> span.</summary>
    Invocation = 1,

    /// <summary>Operation spans hang under the execution's <c>Workflow</c> span and link to the <c>Invocation</c> span that ran them.</summary>
    Execution = 2,

    /// <summary>Both sets of operation spans.</summary>
    Both = Invocation | Execution,
}

/// <summary>Tracing of durable executions through the <see cref="System.Diagnostics.ActivitySource"/> named <c>Durably</c>.</summary>
public sealed record DurableTracingOptions
{
    /// <summary>The options used when a function host sets none; settable once at start-up.</summary>
    public static DurableTracingOptions Default { get; set; } = new();

    /// <summary>The views emitted; <see cref="DurableTraceViews.Invocation"/> by default.</summary>
    public DurableTraceViews Views { get; init; } = DurableTraceViews.Invocation;
}
