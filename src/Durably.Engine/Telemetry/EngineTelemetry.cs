using System.Diagnostics;
using Durably.Engine.Storage;
using Durably.Protocol;
using Durably.Telemetry;

namespace Durably.Engine.Telemetry;

/// <summary>The engine's side of the <c>Durably</c> activity source (docs/observability.md).</summary>
internal static class EngineTelemetry
{
    public static readonly ActivitySource Source = new(DurablyTelemetry.SourceName);

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

    /// <summary>
    /// Emits the execution view's <c>Workflow</c> span of an execution the engine closed itself (TIMED_OUT, STOPPED):
    /// no invocation ends it, so the SDK cannot. Same ARN-derived ids as the SDK's, from the execution's start, status
    /// ERROR; only when the function's trace views (<paramref name="functions"/>) include the execution view.
    /// </summary>
    public static void Closed(ExecutionChange change, FunctionRegistry functions)
    {
        ExecutionRecord execution = change.Execution;
        if (execution.Status is not (ExecutionStatus.TimedOut or ExecutionStatus.Stopped) || !Source.HasListeners()
            || !change.Events.Any(e => e.EventType is HistoryEventTypes.ExecutionTimedOut or HistoryEventTypes.ExecutionStopped))
        {
            return;
        }

        DurableTracingOptions tracing = functions.Find(execution.FunctionName, execution.FunctionVersion)?.Tracing ?? DurableTracingOptions.Default;
        if (tracing.Views.HasFlag(DurableTraceViews.Execution))
        {
            WorkflowSpan.Emit(execution.DurableExecutionArn, execution.Status == ExecutionStatus.TimedOut ? "TIMED_OUT" : "STOPPED", execution.StartTimestamp);
        }
    }
}
