using System.Diagnostics;

namespace Durably.Engine.Telemetry;

/// <summary>The engine's side of the <c>Durably</c> activity source (docs/observability.md).</summary>
internal static class EngineTelemetry
{
    public static readonly ActivitySource Source = new(Durably.Telemetry.DurablyTelemetry.SourceName);

    /// <summary>
    /// Starts the CLIENT span of an invocation sent to an HTTP function, when someone listens. While it is
    /// current, the HTTP client sends its W3C <c>traceparent</c>, so the function's <c>Invocation</c> span
    /// continues the engine's trace. With no current span, <paramref name="traceParent"/> (a chained-invoke
    /// child's stored context) is its parent.
    /// </summary>
    public static Activity? StartInvoke(string executionArn, string? traceParent) =>
        Source.StartActivity("Invoke", ActivityKind.Client,
            Activity.Current is null && ActivityContext.TryParse(traceParent, null, isRemote: true, out ActivityContext parent) ? parent : default,
            tags: [new("durable.invoke.execution_arn", executionArn)]);
}
