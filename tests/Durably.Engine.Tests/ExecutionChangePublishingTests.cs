using Durably.Engine;
using Durably.Protocol;

namespace Durably.Engine.Tests;

/// <summary>What the engine publishes to <see cref="DurableEngine.Changes"/>: one notice per committed change that adds history events.</summary>
public sealed class ExecutionChangePublishingTests
{
    [Fact]
    public async Task EachCommitWithEvents_PublishesOneNotice_WithTheEventCountAfterIt()
    {
        await using var harness = new EngineHarness();
        var counts = new List<int>();
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync();
            await invocation.CheckpointAsync(Updates.StepStart("s1"));
            await invocation.CheckpointAsync();
            await invocation.CheckpointAsync(Updates.StepSucceed("s1"));
            return EngineHarness.Succeeded();
        });
        using ExecutionChangeSubscription changes = harness.Engine.Changes.Subscribe(ExecutionChangeFilter.All);

        string arn = await harness.StartAsync();
        await harness.IdleAsync();

        ExecutionChangeBatch batch = await changes.ReadAsync(TimeSpan.Zero);
        Assert.All(batch.Notices, notice => Assert.Equal(arn, notice.DurableExecutionArn));
        // Created (ExecutionStarted), StepStarted, StepSucceeded, and the close (InvocationCompleted, ExecutionSucceeded);
        // the two checkpoints without updates and the invocation's claim add no event and publish nothing.
        Assert.Equal([1, 2, 3, 5], batch.Notices.Select(notice => notice.HistoryEventCount));
        Assert.Equal(ExecutionStatus.Succeeded, batch.Notices[^1].Status);
        Assert.Equal((await harness.HistoryAsync(arn)).Count, batch.Notices[^1].HistoryEventCount);
    }

    [Fact]
    public async Task RefusedCheckpoint_PublishesNothing()
    {
        await using var harness = new EngineHarness();
        DurableServiceException? refused = null;
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(Updates.StepStart("s1"));
            refused = await Assert.ThrowsAsync<DurableServiceException>(() => invocation.CheckpointAsync(Updates.Wait("w1", -5)));
            return EngineHarness.Succeeded();
        });
        using ExecutionChangeSubscription changes = harness.Engine.Changes.Subscribe(ExecutionChangeFilter.All);

        string arn = await harness.StartAsync();
        await harness.IdleAsync();

        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, refused?.ErrorCode);
        int[] counts = [.. (await changes.ReadAsync(TimeSpan.Zero)).Notices.Select(notice => notice.HistoryEventCount)];
        // ExecutionStarted; StepStarted; the close. The refused checkpoint wrote nothing and published nothing.
        Assert.Equal([1, 2, (await harness.HistoryAsync(arn)).Count], counts);
    }
}
