using Microsoft.AspNetCore.Http;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Durably.Engine.Tests;

/// <summary>The deliverer's instruments on the <c>Durably</c> meter, read through OpenTelemetry's in-memory exporter.</summary>
public sealed class WebhookMetricsTests
{
    // Other tests deliver at the same time in this process: every assertion is on this subscription's points only.
    private const string Name = "metrics-hook";

    [Fact]
    public async Task Attempts_AreCountedByOutcome_AndTheBacklogFollowsTheCursor()
    {
        var metrics = new List<Metric>();
        using MeterProvider provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(Durably.Telemetry.DurablyTelemetry.SourceName)
            .AddInMemoryExporter(metrics)
            .Build();
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded()));
        await harness.StartAsync(name: "order-1");
        int status = StatusCodes.Status500InternalServerError;
        await using var receiver = await WebhookReceiver.StartAsync(_ => Volatile.Read(ref status));
        var subscription = new EventSubscription
        {
            Name = Name, Url = receiver.Url, Pattern = EventPattern.Parse("""{"detail":{"status":["SUCCEEDED"]}}"""),
            Secret = "a-webhook-secret-of-32-characters!",
        };
        var time = new TimerWatchingTimeProvider(TimeProvider.System.GetUtcNow());
        var options = new EventDeliveryOptions
        {
            MaxAttempts = 2, FirstRetryDelay = TimeSpan.FromSeconds(1), AttemptTimeout = TimeSpan.FromSeconds(30), PollInterval = TimeSpan.FromMinutes(10),
        };
        await using var deliverer = new WebhookDeliverer(harness.Store, [subscription], options, time);
        await deliverer.StartAsync();

        // While the first attempt is under way, the events from its position on are still to go through.
        await receiver.NextAsync();
        Reading delivering = Read(provider, metrics);
        await time.WhenTimerArmedAsync(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        await receiver.NextAsync();
        await time.WhenTimerArmedAsync(options.PollInterval);
        Reading idle = Read(provider, metrics);
        Volatile.Write(ref status, StatusCodes.Status200OK);
        Assert.True(await deliverer.RedeliverAsync(Name, Assert.Single(await deliverer.DeadLettersAsync(Name)).Position));
        Reading redelivered = Read(provider, metrics);
        await deliverer.StopAsync();

        Assert.True(delivering.Backlog >= 1, $"the backlog during the first delivery was {delivering.Backlog}");
        Assert.Equal(new Reading(0, Failed: 1, DeadLettered: 1, Delivered: 0), idle);
        Assert.Equal(new Reading(0, Failed: 1, DeadLettered: 1, Delivered: 1), redelivered);
    }

    /// <summary>Exports every instrument and reads this subscription's backlog and attempts by outcome (counts are cumulative).</summary>
    private static Reading Read(MeterProvider provider, List<Metric> metrics)
    {
        metrics.Clear();
        Assert.True(provider.ForceFlush(), "the meter provider did not flush its metrics");
        long Attempts(string outcome) =>
            Points(metrics, "durably.webhook.attempts").Where(point => Tag(point, "durably.webhook.outcome") == outcome).Sum(point => point.GetSumLong());
        return new(Assert.Single(Points(metrics, "durably.outbox.backlog")).GetGaugeLastValueLong(), Attempts("failed"), Attempts("dead_lettered"), Attempts("delivered"));
    }

    /// <summary>The points of an instrument that belong to this test's subscription.</summary>
    private static List<MetricPoint> Points(List<Metric> metrics, string name)
    {
        List<MetricPoint> points = [];
        foreach (Metric metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
            {
                if (Tag(point, "durably.subscription.name") == Name)
                {
                    points.Add(point);
                }
            }
        }

        return points;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value as string;
            }
        }

        return null;
    }

    private sealed record Reading(long Backlog, long Failed, long DeadLettered, long Delivered);
}
