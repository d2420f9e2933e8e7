using System.Diagnostics.Metrics;
using Durably.Protocol;

namespace Durably.Engine.Telemetry;

/// <summary>
/// The engine's instruments on the <c>Durably</c> meter (docs/observability.md lists them). Counts come from the
/// history events of each committed change, so every status change and operation is counted once, whichever
/// path (start, checkpoint, timer, invocation) made it.
/// </summary>
internal static class EngineMetrics
{
    /// <summary>The process's one <c>Durably</c> meter, which <see cref="WebhookMetrics"/> shares.</summary>
    public static readonly Meter Meter = new(Durably.Telemetry.DurablyTelemetry.SourceName);

    private static readonly Counter<long> ExecutionsStarted = Meter.CreateCounter<long>("durably.executions.started", "{execution}",
        "Executions started.");

    private static readonly Counter<long> ExecutionsClosed = Meter.CreateCounter<long>("durably.executions.closed", "{execution}",
        "Executions closed, by durable.execution.status.");

    private static readonly UpDownCounter<long> ExecutionsRunning = Meter.CreateUpDownCounter<long>("durably.executions.running", "{execution}",
        "Executions started and not yet closed by this engine process.");

    private static readonly Counter<long> OperationsCompleted = Meter.CreateCounter<long>("durably.operations.completed", "{operation}",
        "Operations that reached a final status, by durable.operation.type and durable.operation.status.");

    private static readonly (string Prefix, string Type)[] OperationTypes =
        [("Step", "STEP"), ("Wait", "WAIT"), ("Context", "CONTEXT"), ("Callback", "CALLBACK"), ("ChainedInvoke", "CHAINED_INVOKE")];

    private static readonly (string Suffix, string Status)[] FinalStatuses =
        [("Succeeded", "SUCCEEDED"), ("Failed", "FAILED"), ("TimedOut", "TIMED_OUT"), ("Stopped", "STOPPED"), ("Cancelled", "CANCELLED")];

    private static readonly Counter<long> StepRetries = Meter.CreateCounter<long>("durably.step.retries", "{retry}",
        "Step attempts that failed and were scheduled for another attempt.");

    private static readonly Histogram<double> InvocationDuration = Meter.CreateHistogram<double>("durably.invocation.duration", "s",
        "Time from sending an invocation to its function until its answer.");

    private static readonly Histogram<double> CheckpointDuration = Meter.CreateHistogram<double>("durably.checkpoint.duration", "s",
        "Time the engine takes to apply one checkpoint request.");

    private static readonly Histogram<double> TimerLateness = Meter.CreateHistogram<double>("durably.timer.lateness", "s",
        "How long after its due time a timer fired.");

    /// <summary>Counts what the history events of a committed change record.</summary>
    public static void Committed(IReadOnlyList<HistoryEvent> events)
    {
        if (!AnyCountListened)
        {
            return;
        }

        foreach (HistoryEvent historyEvent in events)
        {
            switch (historyEvent.EventType)
            {
                case HistoryEventTypes.ExecutionStarted:
                    ExecutionsStarted.Add(1);
                    ExecutionsRunning.Add(1);
                    break;
                case HistoryEventTypes.ExecutionSucceeded or HistoryEventTypes.ExecutionFailed
                    or HistoryEventTypes.ExecutionTimedOut or HistoryEventTypes.ExecutionStopped:
                    ExecutionsClosed.Add(1, new KeyValuePair<string, object?>("durable.execution.status", StatusOf(historyEvent.EventType)));
                    ExecutionsRunning.Add(-1);
                    break;
                case HistoryEventTypes.StepFailed when historyEvent.Details.RetryDetails?.NextAttemptDelaySeconds is not null:
                    StepRetries.Add(1);
                    break;
                default:
                    if (FinalOperationStatus(historyEvent.EventType) is ({ } type, { } status))
                    {
                        OperationsCompleted.Add(1, new("durable.operation.type", type), new("durable.operation.status", status));
                    }

                    break;
            }
        }
    }

    public static void Invoked(TimeSpan duration) => InvocationDuration.Record(duration.TotalSeconds);

    public static void Checkpointed(TimeSpan duration) => CheckpointDuration.Record(duration.TotalSeconds);

    public static void TimerFired(TimeSpan lateness) => TimerLateness.Record(Math.Max(0, lateness.TotalSeconds));

    private static bool AnyCountListened => ExecutionsStarted.Enabled || ExecutionsClosed.Enabled || OperationsCompleted.Enabled
        || StepRetries.Enabled || ExecutionsRunning.Enabled;

    private static string StatusOf(string eventType) => eventType switch
    {
        HistoryEventTypes.ExecutionSucceeded => "SUCCEEDED",
        HistoryEventTypes.ExecutionFailed => "FAILED",
        HistoryEventTypes.ExecutionTimedOut => "TIMED_OUT",
        _ => "STOPPED",
    };

    /// <summary>The operation type and final status an event records (<c>StepSucceeded</c>: STEP, SUCCEEDED), or nulls.</summary>
    private static (string? Type, string? Status) FinalOperationStatus(string eventType)
    {
        foreach ((string prefix, string type) in OperationTypes)
        {
            foreach ((string suffix, string status) in FinalStatuses)
            {
                if (eventType.Length == prefix.Length + suffix.Length && eventType.StartsWith(prefix, StringComparison.Ordinal)
                    && eventType.EndsWith(suffix, StringComparison.Ordinal))
                {
                    return (type, status);
                }
            }
        }

        return (null, null);
    }
}
