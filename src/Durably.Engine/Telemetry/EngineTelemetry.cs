using System.Diagnostics;

namespace Durably.Engine.Telemetry;

/// <summary>The engine's side of the <c>Durably</c> activity source (docs/observability.md).</summary>
internal static class EngineTelemetry
{
    public static readonly ActivitySource Source = new(Durably.Telemetry.DurablyTelemetry.SourceName);

    /// <summary>
    /// Starts the CLIENT span of an invocation sent to an HTTP function, when someone listens. While it is
    /// current, the HTTP client sends its W3C <c>traceparent</c>, so the function's <c>Invocation</c> span
    /// continues the engine's trace.
    /// </summary>
    public static Activity? StartInvoke(string executionArn) =>
        Source.StartActivity("Invoke", ActivityKind.Client, parentContext: default,
            tags: [new("durable.invoke.execution_arn", executionArn)]);
}
