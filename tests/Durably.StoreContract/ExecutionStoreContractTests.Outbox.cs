using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Xunit;

namespace Durably.StoreContract;

/// <summary>The outbox: status-change events written in the transaction of the change that carries them, and consumer cursors.</summary>
public abstract partial class ExecutionStoreContractTests
{
    [Fact]
    public async Task Outbox_CreationWithStatusEvent_WritesExactlyThatEvent()
    {
        ExecutionChange creation = WithStatusEvent(StoreSamples.Creation("e1", "order-1", Time.GetUtcNow()));

        await Store.CreateExecutionAsync(creation, Time.GetUtcNow());

        OutboxEntry entry = Assert.Single(await Store.ReadOutboxAsync(0, 10));
        AssertSameEvent(creation.StatusEvents[0], entry.Event);
        Assert.True(entry.Position > 0);
    }

    [Fact]
    public async Task Outbox_CreationOfARetainedName_WritesNoEvent()
    {
        await Store.CreateExecutionAsync(WithStatusEvent(StoreSamples.Creation("e1", "order-1", Time.GetUtcNow())), Time.GetUtcNow());

        await Store.CreateExecutionAsync(WithStatusEvent(StoreSamples.Creation("e2", "order-1", Time.GetUtcNow())), Time.GetUtcNow());

        Assert.Equal("e1", ExecutionIdOf(Assert.Single(await Store.ReadOutboxAsync(0, 10))));
    }

    [Fact]
    public async Task Outbox_RejectedCommit_WritesNoEvent()
    {
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", Time.GetUtcNow()), Time.GetUtcNow());

        Assert.False(await Store.TryCommitAsync(Close(StoreSamples.Creation("e1", "order-1", Time.GetUtcNow()).Execution, expectedVersion: 5)));

        Assert.Empty(await Store.ReadOutboxAsync(0, 10));
        Assert.Equal(0, await Store.GetOutboxEndAsync());
    }

    [Fact]
    public async Task Outbox_StartAndClose_ReadInCommitOrderAfterAPosition()
    {
        await Store.CreateExecutionAsync(WithStatusEvent(StoreSamples.Creation("e1", "order-1", Time.GetUtcNow())), Time.GetUtcNow());
        await Store.CreateExecutionAsync(WithStatusEvent(StoreSamples.Creation("e2", "order-2", Time.GetUtcNow())), Time.GetUtcNow());
        ExecutionRecord first = (await Store.LoadAsync("e1", []))!.Execution;
        ExecutionChange close = Close(first, first.Version);
        Assert.True(await Store.TryCommitAsync(close));

        IReadOnlyList<OutboxEntry> all = await Store.ReadOutboxAsync(0, 10);

        Assert.Equal(["e1/Running", "e2/Running", "e1/Succeeded"], all.Select(entry => $"{ExecutionIdOf(entry)}/{entry.Event.Detail.Status}"));
        Assert.True(all[0].Position < all[1].Position && all[1].Position < all[2].Position);
        AssertSameEvent(close.StatusEvents[0], all[2].Event);
        Assert.Equal([all[1].Position], (await Store.ReadOutboxAsync(all[0].Position, 1)).Select(entry => entry.Position));
        Assert.Empty(await Store.ReadOutboxAsync(all[2].Position, 10));
        Assert.Equal(all[2].Position, await Store.GetOutboxEndAsync());
    }

    [Fact]
    public async Task Outbox_PurgedExecution_KeepsItsEvents()
    {
        await Store.CreateExecutionAsync(WithStatusEvent(StoreSamples.Creation("e1", "order-1", Time.GetUtcNow())), Time.GetUtcNow());

        Assert.True(await Store.PurgeExecutionAsync("e1", 1));

        Assert.Single(await Store.ReadOutboxAsync(0, 10));
    }

    [Fact]
    public async Task OutboxCursor_IsPerConsumer_StartsAtZero_AndNeverMovesBack()
    {
        Assert.Equal(0, await Store.GetOutboxCursorAsync("hook-a"));

        await Store.SetOutboxCursorAsync("hook-a", 7);
        await Store.SetOutboxCursorAsync("hook-a", 3);
        await Store.SetOutboxCursorAsync("hook-b", 2);

        Assert.Equal(7, await Store.GetOutboxCursorAsync("hook-a"));
        Assert.Equal(2, await Store.GetOutboxCursorAsync("hook-b"));
    }

    [Fact]
    public async Task DeadLetters_ArePerConsumer_ByPosition_ReplacedAndRemoved()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.AddDeadLetterAsync(new DeadLetter("hook-a", 9, 3, "HTTP 500", now));
        await Store.AddDeadLetterAsync(new DeadLetter("hook-a", 4, 3, "timed out", now));
        await Store.AddDeadLetterAsync(new DeadLetter("hook-b", 4, 3, "HTTP 404", now));
        await Store.AddDeadLetterAsync(new DeadLetter("hook-a", 9, 5, "HTTP 503", now.AddMinutes(1)));

        Assert.Equal([new DeadLetter("hook-a", 4, 3, "timed out", now), new DeadLetter("hook-a", 9, 5, "HTTP 503", now.AddMinutes(1))],
            await Store.ReadDeadLettersAsync("hook-a", 10));
        Assert.Single(await Store.ReadDeadLettersAsync("hook-a", 1));
        Assert.True(await Store.RemoveDeadLetterAsync("hook-a", 4));
        Assert.False(await Store.RemoveDeadLetterAsync("hook-a", 4));
        Assert.Equal([9L], (await Store.ReadDeadLettersAsync("hook-a", 10)).Select(letter => letter.Position));
        Assert.Equal([4L], (await Store.ReadDeadLettersAsync("hook-b", 10)).Select(letter => letter.Position));
    }

    private static ExecutionChange WithStatusEvent(ExecutionChange change) =>
        change with { StatusEvents = [StatusChangeEvent.For(change.Execution, change.Execution.StartTimestamp)] };

    private ExecutionChange Close(ExecutionRecord execution, long expectedVersion)
    {
        ExecutionRecord closed = execution with { Version = expectedVersion + 1, Status = ExecutionStatus.Succeeded, EndTimestamp = Time.GetUtcNow().AddSeconds(3) };
        return new ExecutionChange
        {
            Execution = closed,
            ExpectedVersion = expectedVersion,
            StatusEvents = [StatusChangeEvent.For(closed, closed.EndTimestamp!.Value)],
        };
    }

    private static string ExecutionIdOf(OutboxEntry entry) => entry.Event.Detail.DurableExecutionArn.Split('/')[^1];

    /// <summary>Stored and read back, the event is the same (its list member compared by content).</summary>
    private static void AssertSameEvent(StatusChangeEvent expected, StatusChangeEvent actual)
    {
        Assert.Equal(expected with { Resources = [] }, actual with { Resources = [] });
        Assert.Equal(expected.Resources, actual.Resources);
    }
}
