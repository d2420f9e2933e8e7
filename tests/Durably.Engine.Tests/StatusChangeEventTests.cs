using System.Text.Json;
using Durably.Protocol;

namespace Durably.Engine.Tests;

/// <summary>Every execution status change writes exactly one status-change event to the store's outbox.</summary>
public sealed class StatusChangeEventTests
{
    [Fact]
    public async Task Lifecycle_WritesRunningThenSucceeded_InTheEnvelope()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded("\"ok\"")));
        DateTimeOffset start = harness.Time.GetUtcNow();

        string arn = await harness.StartAsync(name: "order-1");

        IReadOnlyList<StatusChangeEvent> events = await EventsAsync(harness);
        Assert.Equal([ExecutionStatus.Running, ExecutionStatus.Succeeded], events.Select(e => e.Detail.Status));
        StatusChangeEvent succeeded = events[1];
        Assert.Equal("durably", succeeded.Source);
        Assert.Equal("Durable Execution Status Change", succeeded.DetailType);
        Assert.Equal("0", succeeded.Version);
        Assert.Equal(("000000000000", "local"), (succeeded.Account, succeeded.Region));
        Assert.Empty(succeeded.Resources);
        Assert.Equal(arn, succeeded.Detail.DurableExecutionArn);
        Assert.Equal("order-1", succeeded.Detail.DurableExecutionName);
        Assert.Equal("arn:aws:lambda:local:000000000000:function:fn:1", succeeded.Detail.FunctionArn);
        DurableExecutionDescription closed = await harness.DescribeAsync(arn);
        Assert.Equal(Iso(start), succeeded.Detail.StartTimestamp);
        Assert.Equal(Iso(closed.EndTimestamp!.Value), succeeded.Detail.EndTimestamp);
        Assert.Null(events[0].Detail.EndTimestamp);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", succeeded.Id);
        Assert.NotEqual(events[0].Id, succeeded.Id);
    }

    [Fact]
    public async Task Failed_WritesRunningThenFailed()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Failed("nope")));

        await harness.StartAsync();

        Assert.Equal([ExecutionStatus.Running, ExecutionStatus.Failed], (await EventsAsync(harness)).Select(e => e.Detail.Status));
    }

    [Fact]
    public async Task Stop_WritesStopped_AndASecondStopWritesNothing()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Pending()));
        string arn = await harness.StartAsync();

        await harness.Engine.StopExecutionAsync(arn);
        await harness.Engine.StopExecutionAsync(arn);

        Assert.Equal([ExecutionStatus.Running, ExecutionStatus.Stopped], (await EventsAsync(harness)).Select(e => e.Detail.Status));
    }

    [Fact]
    public async Task Timeout_WritesTimedOut()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Pending()), executionTimeout: TimeSpan.FromHours(1));
        await harness.StartAsync();

        await harness.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Equal([ExecutionStatus.Running, ExecutionStatus.TimedOut], (await EventsAsync(harness)).Select(e => e.Detail.Status));
    }

    [Fact]
    public async Task IdempotentStart_WritesOneRunningEvent()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Pending()));

        await harness.StartAsync(name: "same");
        await harness.StartAsync(name: "same");

        Assert.Equal([ExecutionStatus.Running], (await EventsAsync(harness)).Select(e => e.Detail.Status));
    }

    [Fact]
    public async Task Event_SerializesToEventBridgesEnvelope()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Failed("nope")));
        string arn = await harness.StartAsync(name: "order-1");

        string json = JsonSerializer.Serialize((await EventsAsync(harness))[1]);

        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        Assert.Equal(["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Durable Execution Status Change", root.GetProperty("detail-type").GetString());
        Assert.Matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$", root.GetProperty("time").GetString());
        JsonElement detail = root.GetProperty("detail");
        Assert.Equal(["durableExecutionArn", "durableExecutionName", "functionArn", "status", "startTimestamp", "endTimestamp"], detail.EnumerateObject().Select(p => p.Name));
        Assert.Equal("FAILED", detail.GetProperty("status").GetString());
        Assert.Equal(arn, detail.GetProperty("durableExecutionArn").GetString());
        Assert.Matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$", detail.GetProperty("endTimestamp").GetString());
    }

    private static async Task<IReadOnlyList<StatusChangeEvent>> EventsAsync(EngineHarness harness)
    {
        await harness.IdleAsync();
        return [.. (await harness.Store.ReadOutboxAsync(0, 100)).Select(entry => entry.Event)];
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
