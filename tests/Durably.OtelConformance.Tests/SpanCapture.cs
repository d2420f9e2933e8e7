using System.Collections.Concurrent;
using System.Diagnostics;

namespace Durably.OtelConformance;

/// <summary>Records every span of the <c>Durably</c> source that stops while it is alive.</summary>
public sealed class SpanCapture : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SpanCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Telemetry.DurablyTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    public void Dispose() => _listener.Dispose();
}
