using Durably.Engine;
using Durably.Engine.Storage;
using Durably.StoreContract;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Engine.Tests;

public sealed class ExecutionChangeFeedTests
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private long _versions;

    [Fact]
    public async Task Subscriber_ReadsTheNoticesPublishedAfterIt_InOrder()
    {
        var feed = new ExecutionChangeFeed(_time);
        Publish(feed, "before");
        using ExecutionChangeSubscription subscription = feed.Subscribe(ExecutionChangeFilter.All);
        Publish(feed, "a");
        Publish(feed, "b");

        ExecutionChangeBatch batch = await subscription.ReadAsync(NoWait);

        Assert.False(batch.Reset);
        Assert.Equal(["a", "b"], batch.Notices.Select(notice => notice.ExecutionId));
        Assert.Equal(batch.Notices[0].Sequence + 1, batch.Notices[1].Sequence);
        Assert.Equal(feed.LastSequence, subscription.Position);
    }

    [Fact]
    public async Task Sequence_StartsAboveThatOfAFeedCreatedEarlier()
    {
        var earlier = new ExecutionChangeFeed(_time);
        for (int i = 0; i < 500; i++)
        {
            Publish(earlier, "x");
        }

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var restarted = new ExecutionChangeFeed(_time);
        using ExecutionChangeSubscription resumed = restarted.Subscribe(ExecutionChangeFilter.All, earlier.LastSequence);

        Assert.True((await resumed.ReadAsync(NoWait)).Reset);
    }

    [Fact]
    public async Task SlowSubscriber_FallenBehindTheBuffer_GetsAResetThenTheNewNotices()
    {
        var feed = new ExecutionChangeFeed(_time);
        using ExecutionChangeSubscription slow = feed.Subscribe(ExecutionChangeFilter.All);
        for (int i = 0; i <= ExecutionChangeFeed.Capacity; i++)
        {
            Publish(feed, "x");
        }

        Assert.True((await slow.ReadAsync(NoWait)).Reset);
        Publish(feed, "new");
        Assert.Equal(["new"], (await slow.ReadAsync(NoWait)).Notices.Select(notice => notice.ExecutionId));
    }

    [Fact]
    public async Task Subscriber_ExactlyCapacityBehind_StillReadsEverything()
    {
        var feed = new ExecutionChangeFeed(_time);
        using ExecutionChangeSubscription subscription = feed.Subscribe(ExecutionChangeFilter.All);
        for (int i = 0; i < ExecutionChangeFeed.Capacity; i++)
        {
            Publish(feed, "x");
        }

        int read = 0;
        while (read < ExecutionChangeFeed.Capacity)
        {
            ExecutionChangeBatch batch = await subscription.ReadAsync(NoWait);
            Assert.False(batch.Reset);
            Assert.NotEmpty(batch.Notices);
            read += batch.Notices.Count;
        }

        Assert.Equal(ExecutionChangeFeed.Capacity, read);
    }

    [Fact]
    public async Task Filter_PassesOnlyTheNamedFunctionVersionAndExecution()
    {
        var feed = new ExecutionChangeFeed(_time);
        using ExecutionChangeSubscription byFunction = feed.Subscribe(new ExecutionChangeFilter(FunctionName: "billing"));
        using ExecutionChangeSubscription byVersion = feed.Subscribe(new ExecutionChangeFilter(FunctionName: "billing", FunctionVersion: "2"));
        using ExecutionChangeSubscription byExecution = feed.Subscribe(new ExecutionChangeFilter(ExecutionId: "o2"));
        Publish(feed, "o1");
        Publish(feed, "o2");
        Publish(feed, "b1", "billing");
        Publish(feed, "b2", "billing", "2");

        Assert.Equal(["b1", "b2"], (await byFunction.ReadAsync(NoWait)).Notices.Select(notice => notice.ExecutionId));
        Assert.Equal(["b2"], (await byVersion.ReadAsync(NoWait)).Notices.Select(notice => notice.ExecutionId));
        Assert.Equal(["o2"], (await byExecution.ReadAsync(NoWait)).Notices.Select(notice => notice.ExecutionId));
    }

    [Fact]
    public async Task ReadAsync_WaitsForTheNextNotice_OrReturnsEmptyAfterMaxWait()
    {
        var feed = new ExecutionChangeFeed(_time);
        using ExecutionChangeSubscription subscription = feed.Subscribe(ExecutionChangeFilter.All);

        Task<ExecutionChangeBatch> waiting = subscription.ReadAsync(TimeSpan.FromSeconds(15));
        Assert.False(waiting.IsCompleted);
        Publish(feed, "a");
        Assert.Equal(["a"], (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Notices.Select(notice => notice.ExecutionId));

        Task<ExecutionChangeBatch> idle = subscription.ReadAsync(TimeSpan.FromSeconds(15));
        _time.Advance(TimeSpan.FromSeconds(15));
        ExecutionChangeBatch keepAlive = await idle.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(keepAlive.Notices);
        Assert.False(keepAlive.Reset);
    }

    [Fact]
    public async Task OlderStateOfAnExecution_PublishedAfterANewerOne_IsDropped()
    {
        var feed = new ExecutionChangeFeed(_time);
        using ExecutionChangeSubscription subscription = feed.Subscribe(ExecutionChangeFilter.All);
        ExecutionRecord execution = StoreSamples.Creation("e1", "e1", _time.GetUtcNow()).Execution;

        feed.Publish(execution with { Version = 3, EventCount = 5 });
        feed.Publish(execution with { Version = 2, EventCount = 4 });
        feed.Publish(execution with { Version = 3, EventCount = 5 });
        feed.Publish(execution with { Version = 4, EventCount = 6 });

        Assert.Equal([5, 6], (await subscription.ReadAsync(NoWait)).Notices.Select(notice => notice.HistoryEventCount));
    }

    [Fact]
    public async Task NewestVersions_AreForgottenWithTheirNotices()
    {
        var feed = new ExecutionChangeFeed(_time);
        ExecutionRecord execution = StoreSamples.Creation("e1", "e1", _time.GetUtcNow()).Execution;
        feed.Publish(execution with { Version = 5 });
        for (int i = 0; i < ExecutionChangeFeed.Capacity; i++)
        {
            Publish(feed, $"x{i % 7}");
        }

        using ExecutionChangeSubscription subscription = feed.Subscribe(ExecutionChangeFilter.All);
        feed.Publish(execution with { Version = 1 });

        // Out of the buffer, its newest version is no longer kept (the map stays bounded by the buffer).
        Assert.Equal(["e1"], (await subscription.ReadAsync(NoWait)).Notices.Select(notice => notice.ExecutionId));
    }

    [Fact]
    public void Dispose_Unsubscribes()
    {
        var feed = new ExecutionChangeFeed(_time);
        ExecutionChangeSubscription first = feed.Subscribe(ExecutionChangeFilter.All);
        using ExecutionChangeSubscription second = feed.Subscribe(ExecutionChangeFilter.All);

        first.Dispose();
        first.Dispose();

        Assert.Equal(1, feed.SubscriberCount);
    }

    [Fact]
    public void Filter_WithAnInvalidArn_IsRefused()
    {
        DurableServiceException error = Assert.Throws<DurableServiceException>(() => ExecutionChangeFilter.Create(null, null, "not-an-arn"));

        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, error.ErrorCode);
    }

    /// <summary>Publishes a change of <paramref name="executionId"/>, each a newer version than the last.</summary>
    private void Publish(ExecutionChangeFeed feed, string executionId, string function = StoreSamples.Function, string version = "1") =>
        feed.Publish(StoreSamples.Creation(executionId, executionId, _time.GetUtcNow(), function: function).Execution with
        {
            FunctionVersion = version,
            Version = ++_versions,
        });
}
