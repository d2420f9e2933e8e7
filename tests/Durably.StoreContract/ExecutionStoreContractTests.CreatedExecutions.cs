using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Xunit;

namespace Durably.StoreContract;

/// <summary><see cref="ExecutionChange.CreatedExecutions"/>: a chained invoke's children created in their parent's transaction.</summary>
public abstract partial class ExecutionStoreContractTests
{
    [Fact]
    public async Task Commit_WithCreatedExecutions_CreatesThemInTheSameCommit()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation("parent", "order-1", now), now);
        ExecutionChange first = WithStatusEvent(StoreSamples.Creation("child-1", "order-1-a", now));
        ExecutionChange second = WithStatusEvent(StoreSamples.Creation("child-2", "order-1-b", now));
        ExecutionChange change = StoreSamples.AddOperation("parent", 1, StoreSamples.Step(1, "invoke-1"), now) with
        {
            CreatedExecutions = [first, second],
            TimersToSet = [new TimerRecord("child-1", TimerRecord.InvokeKey, TimerKind.Invoke, now)],
        };

        Assert.True(await Store.TryCommitAsync(change));

        ExecutionSnapshot child = (await Store.LoadAsync("child-1", ["child-1"]))!;
        Assert.Equal(("order-1-a", "\"in\"", 1L), (child.Execution.ExecutionName, child.Execution.InputPayload, child.Execution.Version));
        Assert.Equal(OperationType.Execution, child.Operations["child-1"].Operation.Type);
        Assert.Equal([HistoryEventTypes.ExecutionStarted], (await Store.ReadHistoryAsync("child-2", 0, 10, descending: false)).Select(e => e.EventType));
        Assert.Equal(["child-1/ExecutionTimeout", "child-1/Invoke", "child-2/ExecutionTimeout"],
            (await Store.GetDueTimersAsync(now.AddDays(2), 10)).Where(timer => timer.ExecutionId != "parent")
                .Select(timer => $"{timer.ExecutionId}/{timer.Kind}").Order(StringComparer.Ordinal));
        Assert.Equal(["child-1", "child-2"], (await Store.ReadOutboxAsync(0, 10)).Select(ExecutionIdOf));
        Assert.Equal(2, (await Store.LoadAsync("parent", []))!.Execution.Version);
    }

    [Fact]
    public async Task Commit_VersionConflict_CreatesNoChild()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation("parent", "order-1", now), now);
        ExecutionChange stale = StoreSamples.AddOperation("parent", 5, StoreSamples.Step(1, "invoke-1"), now) with
        {
            CreatedExecutions = [WithStatusEvent(StoreSamples.Creation("child-1", "order-1-a", now))],
        };

        Assert.False(await Store.TryCommitAsync(stale));

        Assert.Null(await Store.LoadAsync("child-1", []));
        Assert.Empty(await Store.ListExecutionsAsync(new ExecutionQuery { FunctionName = StoreSamples.Function, ExecutionName = "order-1-a" }));
        Assert.Empty(await Store.ReadOutboxAsync(0, 10));
        Assert.DoesNotContain(await Store.GetDueTimersAsync(now.AddDays(2), 10), timer => timer.ExecutionId == "child-1");
    }

    [Fact]
    public async Task Commit_CreatedExecutionOfARetainedName_IsSkipped_AndTheRestApplies()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation("parent", "order-1", now), now);
        await Store.CreateExecutionAsync(StoreSamples.Creation("existing", "order-1-a", now, input: "\"first\""), now);
        ExecutionChange change = StoreSamples.AddOperation("parent", 1, StoreSamples.Step(1, "invoke-1"), now) with
        {
            CreatedExecutions = [WithStatusEvent(StoreSamples.Creation("child-1", "order-1-a", now)), WithStatusEvent(StoreSamples.Creation("child-2", "order-1-b", now))],
        };

        Assert.True(await Store.TryCommitAsync(change));

        Assert.Null(await Store.LoadAsync("child-1", []));
        Assert.Equal("\"first\"", (await Store.LoadAsync("existing", []))!.Execution.InputPayload);
        Assert.NotNull(await Store.LoadAsync("child-2", []));
        Assert.Equal(["child-2"], (await Store.ReadOutboxAsync(0, 10)).Select(ExecutionIdOf));
        Assert.Contains("invoke-1", (await Store.LoadAsync("parent", ["invoke-1"]))!.Operations.Keys);
    }
}
