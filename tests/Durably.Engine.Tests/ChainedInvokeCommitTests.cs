using System.Reflection;
using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine.Tests;

/// <summary>A checkpoint that starts chained-invoke children writes them in the parent's one commit.</summary>
public sealed class ChainedInvokeCommitTests
{
    [Fact]
    public async Task FanOutCheckpoint_CreatesEveryChildInTheParentsOneCommit()
    {
        StoreWrites writes = null!;
        await using var harness = new EngineHarness(wrapStore: store => (IExecutionStore)(writes = StoreWrites.Around(store)));
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded()), name: "child");
        harness.Register(async invocation =>
        {
            if (invocation.Find("i1") is null)
            {
                int before = writes.Count;
                await invocation.CheckpointAsync(Updates.Invoke("i1", "child", "1"), Updates.Invoke("i2", "child", "2"), Updates.Invoke("i3", "child", "3"));
                writes.ForCheckpoint = writes.Count - before;
            }

            return EngineHarness.Pending();
        });

        string arn = await harness.StartAsync();

        Assert.Equal(1, writes.ForCheckpoint);
        IReadOnlyList<HistoryEvent> history = await harness.HistoryAsync(arn);
        string[] children = [.. history.Where(e => e.EventType == HistoryEventTypes.ChainedInvokeStarted).Select(e => e.Details.DurableExecutionArn!)];
        Assert.Equal(3, children.Length);
        foreach (string child in children)
        {
            Assert.Equal(ExecutionStatus.Succeeded, (await harness.DescribeAsync(child)).Status);
        }
    }

    /// <summary>Forwards every store call and counts the writes of executions (creations and commits).</summary>
    public class StoreWrites : DispatchProxy
    {
        private IExecutionStore _inner = null!;
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public int ForCheckpoint { get; set; }

        public static StoreWrites Around(IExecutionStore inner)
        {
            IExecutionStore proxy = Create<IExecutionStore, StoreWrites>();
            var writes = (StoreWrites)proxy;
            writes._inner = inner;
            return writes;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name is nameof(IExecutionStore.TryCommitAsync) or nameof(IExecutionStore.CreateExecutionAsync))
            {
                Interlocked.Increment(ref _count);
            }

            return targetMethod.Invoke(_inner, args);
        }
    }
}
