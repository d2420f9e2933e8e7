using Durably.Engine.Storage;
using Durably.StoreContract;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Engine.Tests;

/// <summary>The change feed carries each change's status-change events, even when a later change overtook its notice.</summary>
public sealed class StatusChangeFeedTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task OvertakenChange_WithAStatusEvent_IsPublishedForItAlone_AndOneWithoutIsDropped()
    {
        var feed = new ExecutionChangeFeed(_time);
        using ExecutionChangeSubscription subscription = feed.Subscribe(ExecutionChangeFilter.All);
        ExecutionRecord created = StoreSamples.Creation("e1", "order-1", _time.GetUtcNow()).Execution;
        StatusChangeEvent running = StatusChangeEvent.For(created, _time.GetUtcNow());

        feed.Publish(created with { Version = 2 });
        feed.Publish(created, [running]);
        feed.Publish(created with { Version = 2 });

        ExecutionChangeBatch batch = await subscription.ReadAsync(TimeSpan.Zero);
        Assert.Equal([(2L, false, 0), (1L, true, 1)], batch.Notices.Select(n => (n.ExecutionVersion, n.Overtaken, n.StatusEvents!.Count)));
        Assert.Same(running, batch.Notices[1].StatusEvents![0]);
    }

    [Fact]
    public async Task Engine_PublishesRunningThenTheTerminalStatusEvent()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Failed("nope")));
        using ExecutionChangeSubscription subscription = harness.Engine.Changes.Subscribe(ExecutionChangeFilter.All);

        await harness.StartAsync();
        await harness.IdleAsync();

        ExecutionChangeBatch batch = await subscription.ReadAsync(TimeSpan.Zero);
        Assert.Equal([Durably.Protocol.ExecutionStatus.Running, Durably.Protocol.ExecutionStatus.Failed],
            batch.Notices.SelectMany(n => n.StatusEvents ?? []).Select(e => e.Detail.Status));
    }
}
