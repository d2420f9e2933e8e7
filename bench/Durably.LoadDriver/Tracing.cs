using System.Diagnostics;
using Durably.Telemetry;

namespace Durably.LoadDriver;

/// <summary>A listener that has every span of the Durably source made and recorded, then drops it.</summary>
internal static class Tracing
{
    public static ActivityListener Listen(string view)
    {
        DurableTracingOptions.Default = new DurableTracingOptions
        {
            Views = view switch
            {
                "invocation" => DurableTraceViews.Invocation,
                "execution" => DurableTraceViews.Execution,
                "both" => DurableTraceViews.Both,
                _ => throw new ArgumentException($"Unknown --tracing '{view}'; use off, invocation, execution or both."),
            },
        };
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DurablyTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
