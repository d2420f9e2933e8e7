using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Xunit;

namespace Durably.StoreContract;

/// <summary><see cref="ExecutionRecord.LastCheckpoint"/>: written by the change that sets it, kept by the others.</summary>
public abstract partial class ExecutionStoreContractTests
{
    [Fact]
    public async Task LastCheckpoint_IsWrittenByTheCheckpointThatSetsIt_KeptByOtherChanges_AndCleared()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", now), now);
        var replay = new CheckpointReplay("client-1", "token-1", new CheckpointDurableExecutionResponse
        {
            CheckpointToken = "token-2",
            NewExecutionState = new CheckpointUpdatedExecutionState { Operations = [StoreSamples.Step(1, "s1").Operation] },
        });
        ExecutionChange checkpoint = StoreSamples.AddOperation("e1", 1, StoreSamples.Step(1, "s1"), now);

        Assert.True(await Store.TryCommitAsync(checkpoint with { Execution = checkpoint.Execution with { LastCheckpoint = replay }, WritesLastCheckpoint = true }));
        AssertReplay(replay, (await Store.LoadAsync("e1", []))!.Execution.LastCheckpoint);

        // A header write that does not set the replay (a timer, a callback) keeps the stored one, whatever its header carries.
        Assert.True(await Store.TryCommitAsync(StoreSamples.AddOperation("e1", 2, StoreSamples.Step(2, "s2"), now)));
        AssertReplay(replay, (await Store.LoadAsync("e1", []))!.Execution.LastCheckpoint);

        // A checkpoint without a client token clears it.
        Assert.True(await Store.TryCommitAsync(StoreSamples.AddOperation("e1", 3, StoreSamples.Step(3, "s3"), now) with { WritesLastCheckpoint = true }));
        Assert.Null((await Store.LoadAsync("e1", []))!.Execution.LastCheckpoint);
    }

    [Fact]
    public async Task LastCheckpoint_OfARejectedCommit_IsNotWritten()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", now), now);
        ExecutionChange stale = StoreSamples.AddOperation("e1", 4, StoreSamples.Step(1, "s1"), now);
        var replay = new CheckpointReplay("client-1", "token-1", new CheckpointDurableExecutionResponse { CheckpointToken = "token-2" });

        Assert.False(await Store.TryCommitAsync(stale with { Execution = stale.Execution with { LastCheckpoint = replay }, WritesLastCheckpoint = true }));

        Assert.Null((await Store.LoadAsync("e1", []))!.Execution.LastCheckpoint);
    }

    private static void AssertReplay(CheckpointReplay expected, CheckpointReplay? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.ClientToken, expected.CheckpointToken, expected.Response.CheckpointToken), (actual.ClientToken, actual.CheckpointToken, actual.Response.CheckpointToken));
        Assert.Equal(
            expected.Response.NewExecutionState?.Operations?.Select(operation => operation.Id),
            actual.Response.NewExecutionState?.Operations?.Select(operation => operation.Id));
    }
}
