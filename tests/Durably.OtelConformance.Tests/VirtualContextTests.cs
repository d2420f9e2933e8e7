using Durably.Protocol;
using Durably.Telemetry;
using Xunit;

namespace Durably.OtelConformance;

/// <summary>
/// What otel-invocation-20 / otel-execution-20 require beyond their span assertions (which the conformance
/// harness checks): the virtual context records nothing, and its span has no operation id.
/// </summary>
[Collection(SpanCollection.Name)]
public sealed class VirtualContextTests
{
    [Theory]
    [InlineData(DurableTraceViews.Invocation)]
    [InlineData(DurableTraceViews.Execution)]
    public async Task A_virtual_context_records_no_operation_and_its_span_has_no_operation_id(DurableTraceViews views)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        OtelScenarioHost.Run run = await OtelScenarioHost.RunAsync(new() { ["scenario"] = "virtual-context" }, timeout.Token, views);

        Assert.Equal(ExecutionStatus.Succeeded, run.Status);
        Assert.Equal([HistoryEventTypes.ExecutionStarted, HistoryEventTypes.InvocationCompleted, HistoryEventTypes.ExecutionSucceeded],
            run.History.Select(e => e.EventType));
        SpanRecord span = Assert.Single(run.Spans, s => s.Name == "otel-virtual-context");
        Assert.Equal("CONTEXT", span.Attributes["durable.operation.type"]);
        Assert.Equal("RunInChildContext", span.Attributes["durable.operation.subtype"]);
        Assert.False(span.Attributes.ContainsKey("durable.operation.id"), $"the virtual context's span has an operation id: {span}");
    }

    [Theory]
    [InlineData(DurableTraceViews.Invocation)]
    [InlineData(DurableTraceViews.Execution)]
    public async Task A_virtual_context_run_again_by_a_later_invocation_has_its_span_once(DurableTraceViews views)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        OtelScenarioHost.Run run = await OtelScenarioHost.RunAsync(new() { ["scenario"] = "virtual-context-replay" }, timeout.Token, views);

        Assert.Equal(ExecutionStatus.Succeeded, run.Status);
        Assert.Equal(2, run.Spans.Count(s => s.Name == "Invocation"));
        Assert.Single(run.Spans, s => s.Name == "virtual-replayed");
        Assert.Single(run.Spans, s => s.Name == "virtual-step");
    }
}
