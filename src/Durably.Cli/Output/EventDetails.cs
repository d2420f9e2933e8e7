using System.Globalization;
using Durably.Protocol;

namespace Durably.Cli.Output;

/// <summary>The short, one-line details column of the history table.</summary>
internal static class EventDetails
{
    private const int PayloadWidth = 40;

    /// <summary>E.g. <c>result="ok"</c>, <c>error=Timeout: too slow, attempt 2, retry in 4s</c>, <c>5s, until 2026-…</c>.</summary>
    public static string Summarize(HistoryEvent historyEvent)
    {
        ArgumentNullException.ThrowIfNull(historyEvent);
        HistoryEventDetails d = historyEvent.Details;
        var parts = new List<string>();
        Add(parts, "input", Payload(d.Input));
        Add(parts, "result", Payload(d.Result));
        Add(parts, "error", d.Error is { } error ? (error.Payload is null ? Truncated(error.Truncated) : Formats.OneLine(Formats.Error(error.Payload), PayloadWidth)) : null);
        Add(parts, "timeout", d.ExecutionTimeout is { } executionTimeout ? Formats.Seconds(executionTimeout) : null);
        Add(parts, "attempt", d.RetryDetails?.CurrentAttempt?.ToString(CultureInfo.InvariantCulture));
        Add(parts, "retry-in", d.RetryDetails?.NextAttemptDelaySeconds is { } delay ? Formats.Seconds(delay) : null);
        Add(parts, "wait", d.Duration is { } duration ? Formats.Seconds(duration) : null);
        Add(parts, "until", d.ScheduledEndTimestamp is { } end ? Formats.Timestamp(end) : null);
        Add(parts, "callback", d.CallbackId);
        Add(parts, "timeout", d.Timeout is { } timeout ? Formats.Seconds(timeout) : null);
        Add(parts, "heartbeat", d.HeartbeatTimeout is { } heartbeat ? Formats.Seconds(heartbeat) : null);
        Add(parts, "function", d.FunctionName);
        Add(parts, "version", d.ExecutedVersion);
        Add(parts, "child", d.DurableExecutionArn);
        Add(parts, "took", d is { StartTimestamp: { } started, EndTimestamp: { } ended } ? Formats.Duration(ended - started) : null);
        Add(parts, "request", d.RequestId);
        return string.Join(", ", parts);
    }

    private static string? Payload(EventPayload? payload) => payload switch
    {
        null => null,
        { Payload: { } text } => Formats.OneLine(text, PayloadWidth),
        _ => Truncated(payload.Truncated),
    };

    private static string Truncated(bool? truncated) => truncated == true ? "(truncated)" : "(not included)";

    private static void Add(List<string> parts, string label, string? value)
    {
        if (value is not null)
        {
            parts.Add($"{label}={value}");
        }
    }
}
