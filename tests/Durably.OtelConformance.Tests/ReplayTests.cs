using Durably.Telemetry;
using Xunit;

namespace Durably.OtelConformance;

/// <summary>Replay does not re-emit the spans of operations that an earlier invocation saw finish.</summary>
[Collection(SpanCollection.Name)]
public sealed class ReplayTests
{
    [Theory]
    [InlineData(DurableTraceViews.Invocation)]
    [InlineData(DurableTraceViews.Execution)]
    public async Task A_step_replayed_by_the_second_invocation_has_its_spans_once(DurableTraceViews views)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        OtelScenarioHost.Run run = await OtelScenarioHost.RunAsync(new() { ["scenario"] = "step-wait-step" }, timeout.Token, views);

        Assert.Equal(2, run.Spans.Count(s => s.Name == "Invocation"));
        Assert.Single(run.Spans, s => s.Name == "before-wait");
        Assert.Single(run.Spans, s => s.Name == "before-wait attempt 1");
        Assert.Single(run.Spans, s => s.Name == "after-wait");
    }
}
