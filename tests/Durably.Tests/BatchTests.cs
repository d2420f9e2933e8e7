using Durably.Protocol;

namespace Durably.Tests;

public sealed class BatchTests
{
    [Fact]
    public async Task MapAsync_CompletionOutOfOrder_ResultsInInputOrderAndIdenticalIds()
    {
        int[] items = Enumerable.Range(0, 12).ToArray();
        var ids = new List<List<string>>();
        var completionOrders = new List<int[]>();
        foreach (bool swapPairs in (bool[])[false, true])
        {
            var client = new FakeExecutionClient("0");
            Dictionary<int, TaskCompletionSource> done = items.ToDictionary(i => i, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            var completed = new System.Collections.Concurrent.ConcurrentQueue<int>();
            DurableExecutionInvocationOutput output = await client.InvokeAsync<int, int[]>(async (_, context) =>
            {
                IBatchResult<int> result = await context.MapAsync(items, (child, item, _, _) =>
                    child.StepAsync(async (_, _) =>
                    {
                        // With swapPairs, each even item finishes only after the odd item next to it (both run at once).
                        if (swapPairs && item % 2 == 0)
                        {
                            await done[item + 1].Task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);
                        }

                        completed.Enqueue(item);
                        done[item].TrySetResult();
                        return item * 10;
                    }, "work"), "fan-out", new MapConfig<int> { MaxConcurrency = 4 });
                return result.GetResults().ToArray();
            });

            Assert.Equal(InvocationStatus.Succeeded, output.Status);
            Assert.Equal("[0,10,20,30,40,50,60,70,80,90,100,110]", output.Result);
            ids.Add([.. client.Operations.Where(o => o.Type != OperationType.Execution).Select(o => o.Id).Order()]);
            completionOrders.Add([.. completed]);
        }

        // The second run really completed out of input order, and recorded the same operations.
        Assert.NotEqual(items, completionOrders[1]);
        Assert.Equal(ids[0], ids[1]);
    }

    [Fact]
    public async Task MapAsync_MaxConcurrency_RunsThatManyAtOnceAndNeverMore()
    {
        var client = new FakeExecutionClient("0");
        int running = 0;
        int peak = 0;
        var threeRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await client.InvokeAsync<int, int>(async (_, context) =>
        {
            IBatchResult<int> result = await context.MapAsync(Enumerable.Range(0, 10).ToArray(), (child, item, _, _) =>
                child.StepAsync(async (_, _) =>
                {
                    int now = Interlocked.Increment(ref running);
                    InterlockedMax(ref peak, now);
                    if (now == 3)
                    {
                        threeRunning.TrySetResult();
                    }

                    // The first three items wait for each other: only running them in parallel lets them finish.
                    await threeRunning.Task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);
                    Interlocked.Decrement(ref running);
                    return item;
                }), config: new MapConfig<int> { MaxConcurrency = 3 });
            return result.SuccessCount;
        });

        Assert.True(threeRunning.Task.IsCompleted, "three map items never ran at the same time");
        Assert.Equal(3, peak);
    }

    [Fact]
    public async Task ParallelAsync_FirstSuccessful_CompletesEarlyAndLeavesOthersUnstarted()
    {
        var client = new FakeExecutionClient("0");
        var never = new TaskCompletionSource<string>();
        IBatchResult<string>? batch = null;
        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, string>(async (_, context) =>
        {
            batch = await context.ParallelAsync<string>(
            [
                new DurableBranch<string>("slow", (c, _) => c.StepAsync((_, _) => never.Task, "never")),
                new DurableBranch<string>("fast", (c, _) => c.StepAsync((_, _) => Task.FromResult("fast"), "quick")),
                new DurableBranch<string>("later", (c, _) => c.StepAsync((_, _) => Task.FromResult("later"), "later")),
            ], "race", new ParallelConfig { MaxConcurrency = 2, CompletionConfig = CompletionConfig.FirstSuccessful() });
            return batch.GetResults().Single();
        });

        Assert.Equal("\"fast\"", output.Result);
        Assert.Equal(CompletionReason.MinSuccessfulReached, batch!.CompletionReason);
        Assert.Equal([BatchItemStatus.Started, BatchItemStatus.Succeeded], batch.All.Select(i => i.Status));
        Assert.DoesNotContain(client.Operations, o => o.Name == "later");
        Assert.Equal(OperationStatus.Succeeded, client.Single(OperationType.Context, "race").Status);
    }

    [Fact]
    public async Task ParallelAsync_DefaultCompletion_FailsFastAndThrowIfErrorRethrows()
    {
        var client = new FakeExecutionClient("0");
        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, string>(async (_, context) =>
        {
            IBatchResult<int> batch = await context.ParallelAsync<int>(
            [
                (c, _) => c.StepAsync<int>((_, _) => throw new InvalidOperationException("boom"), "bad", new StepConfig { RetryStrategy = RetryStrategy.None }),
            ], "all");
            Assert.Equal(CompletionReason.FailureToleranceExceeded, batch.CompletionReason);
            Assert.Equal(BatchStatus.Failed, batch.Status);
            try
            {
                batch.ThrowIfError();
                return "not thrown";
            }
            catch (ChildContextException exception)
            {
                return exception.Error.ErrorMessage!;
            }
        });

        Assert.Equal("\"boom\"", output.Result);
        Assert.Equal(OperationStatus.Succeeded, client.Single(OperationType.Context, "all").Status);
    }

    [Fact]
    public async Task ParallelAsync_SuspendedBranch_ReplaysToTheSameResult()
    {
        var client = new FakeExecutionClient("0");
        int stepRuns = 0;
        async Task<string> Workflow(int _, IDurableContext context)
        {
            IBatchResult<string> batch = await context.ParallelAsync<string>(
            [
                (c, _) => c.StepAsync((_, _) => { Interlocked.Increment(ref stepRuns); return Task.FromResult("a"); }),
                async (c, _) => { await c.WaitAsync(TimeSpan.FromSeconds(10)); return "b"; },
            ]);
            return string.Join(",", batch.GetResults());
        }

        DurableExecutionInvocationOutput first = await client.InvokeAsync<int, string>(Workflow);
        client.FireTimers();
        DurableExecutionInvocationOutput second = await client.InvokeAsync<int, string>(Workflow);

        Assert.Equal(InvocationStatus.Pending, first.Status);
        Assert.Equal("\"a,b\"", second.Result);
        Assert.Equal(1, stepRuns);
        Assert.All(client.Operations.Where(o => o.SubType == "ParallelBranch"), o => Assert.Null(o.Name));
    }

    [Fact]
    public async Task MapAsync_FlatNesting_ParentsItemOperationsToTheMap()
    {
        var client = new FakeExecutionClient("0");
        await client.InvokeAsync<int, int>(async (_, context) =>
        {
            IBatchResult<int> result = await context.MapAsync(new[] { 1, 2 }, (c, item, _, _) => c.StepAsync((_, _) => Task.FromResult(item)),
                "flat", new MapConfig<int> { NestingType = NestingType.Flat });
            return result.GetResults().Sum();
        });

        Operation map = client.Single(OperationType.Context, "flat");
        Assert.DoesNotContain(client.Operations, o => o.SubType == "MapIteration");
        Assert.All(client.Operations.Where(o => o.Type == OperationType.Step), o => Assert.Equal(map.Id, o.ParentId));
        Assert.Equal(2, client.Operations.Count(o => o.Type == OperationType.Step));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

public sealed class SuspensionRaceTests
{
    [Fact]
    public async Task ParallelAsync_BranchBlockedWhileAnotherIsStillStarting_DoesNotSuspendBeforeTheOtherRuns()
    {
        var client = new FakeExecutionClient("0");
        // Acknowledge on another thread, so the blocked branch reaches its wait while the next branch is still starting.
        client.BeforeCheckpoint = async _ => await Task.Delay(TimeSpan.FromMilliseconds(1), TimeProvider.System, CancellationToken.None);
        bool callbackCreatedWhileStarting = false;

        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, string>(async (_, context) =>
        {
            IBatchResult<string> batch = await context.ParallelAsync<string>(
            [
                async (c, _) => await (await c.CreateCallbackAsync<string>("approval")).GetResultAsync(),
                (c, _) =>
                {
                    // Plain code before the first durable call, running while the other branch blocks:
                    // invisible to the SDK, yet the branch is running. It waits (bounded) for the other branch's
                    // callback, then keeps running 100 ms more: time in which a wrong suspension would happen.
                    callbackCreatedWhileStarting = SpinWait.SpinUntil(() => client.Operations.Any(o => o.Type == OperationType.Callback), TimeSpan.FromSeconds(5));
                    SpinWait.SpinUntil(() => false, TimeSpan.FromMilliseconds(100));
                    return c.StepAsync((_, _) => Task.FromResult("worked"), "work");
                },
            ]);
            return string.Join(",", batch.GetResults());
        });

        // The race this test provokes did happen: the other branch blocked on its callback while this one was starting.
        Assert.True(callbackCreatedWhileStarting, "the callback branch never blocked while the other branch was starting");
        Assert.Equal(InvocationStatus.Pending, output.Status);
        Assert.Equal(OperationStatus.Succeeded, client.Single(OperationType.Step, "work").Status);
    }
}
