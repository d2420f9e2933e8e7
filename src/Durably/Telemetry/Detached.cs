using System.Diagnostics;

namespace Durably.Telemetry;

/// <summary>Emits a finished span with chosen ids and start time, without touching the ambient <see cref="Activity.Current"/>.</summary>
internal static class Detached
{
    public static void Emit(string name, ActivityContext ids, ActivityContext parent, ActivityContext link, DateTimeOffset? start,
        IEnumerable<KeyValuePair<string, object?>> tags, ActivityStatusCode status)
    {
        using Activity? span = DurablyTelemetry.Source.CreateActivity(name, ActivityKind.Internal, parent, tags,
            link == default ? null : [new ActivityLink(link)]);
        if (span is null)
        {
            return;
        }

        // No ambient parent: a root stays a root, and the caller's current span is left alone.
        Activity? ambient = Activity.Current;
        Activity.Current = null;
        if (start is { } at)
        {
            span.SetStartTime(at.UtcDateTime);
        }

        span.Start();
        SpanIds.Assign(span, ids);
        span.SetStatus(status);
        span.Stop();
        Activity.Current = ambient;
    }
}
