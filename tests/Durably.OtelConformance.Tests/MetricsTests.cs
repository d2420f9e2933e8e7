using OpenTelemetry;
using OpenTelemetry.Metrics;
using Xunit;

namespace Durably.OtelConformance;

/// <summary>The engine's instruments on the <c>Durably</c> meter, read through OpenTelemetry's in-memory exporter.</summary>
[Collection(SpanCollection.Name)]
public sealed class MetricsTests
{
    [Fact]
    public async Task A_retried_step_and_a_failed_execution_are_counted()
    {
        var metrics = new List<Metric>();
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(Telemetry.DurablyTelemetry.SourceName)
            .AddInMemoryExporter(metrics)
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await OtelScenarioHost.RunAsync(new() { ["scenario"] = "retry" }, timeout.Token);
        await OtelScenarioHost.RunAsync(new() { ["scenario"] = "terminal-failure" }, timeout.Token);
        provider.ForceFlush();

        Assert.Equal(2, Sum(metrics, "durably.executions.started"));
        Assert.Equal(1, Sum(metrics, "durably.executions.closed", ("durable.execution.status", "SUCCEEDED")));
        Assert.Equal(1, Sum(metrics, "durably.executions.closed", ("durable.execution.status", "FAILED")));
        Assert.Equal(0, Sum(metrics, "durably.executions.running"));
        Assert.Equal(1, Sum(metrics, "durably.step.retries"));
        Assert.Equal(1, Sum(metrics, "durably.operations.completed", ("durable.operation.type", "STEP"), ("durable.operation.status", "SUCCEEDED")));
        Assert.Equal(1, Sum(metrics, "durably.operations.completed", ("durable.operation.type", "STEP"), ("durable.operation.status", "FAILED")));
        Assert.True(Count(metrics, "durably.invocation.duration") >= 3, "the retry's two invocations and the failure's one were timed");
        Assert.True(Count(metrics, "durably.checkpoint.duration") >= 3, "checkpoints were timed");
        Assert.True(Count(metrics, "durably.timer.lateness") >= 1, "the retry's back-off timer fired");
    }

    /// <summary>The sum of a counter's points whose tags include <paramref name="tags"/>.</summary>
    private static long Sum(List<Metric> metrics, string name, params (string Key, string Value)[] tags) =>
        Points(metrics, name).Where(p => HasTags(p, tags)).Sum(p => p.GetSumLong());

    /// <summary>How many values a histogram recorded.</summary>
    private static long Count(List<Metric> metrics, string name) => Points(metrics, name).Sum(p => p.GetHistogramCount());

    private static List<MetricPoint> Points(List<Metric> metrics, string name)
    {
        List<MetricPoint> points = [];
        foreach (Metric metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
            {
                points.Add(point);
            }
        }

        return points;
    }

    private static bool HasTags(MetricPoint point, (string Key, string Value)[] tags)
    {
        var present = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            present[tag.Key] = tag.Value;
        }

        return tags.All(t => present.TryGetValue(t.Key, out object? value) && (string?)value == t.Value);
    }
}
