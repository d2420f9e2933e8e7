using Durably.Protocol;

namespace Durably.Engine.Tests;

public sealed class InvocationFailureTests
{
    [Fact]
    public async Task Crash_IsRecordedAsRuntimeExitError_AndRetriedAfterOneSecond()
    {
        await using var harness = new EngineHarness();
        harness.Register(invocation => harness.Invocations.Count == 1
            ? throw new InvalidOperationException("kaboom")
            : Task.FromResult(EngineHarness.Succeeded()));

        string arn = await harness.StartAsync();
        Assert.Single(harness.Invocations);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(ExecutionStatus.Succeeded, (await harness.DescribeAsync(arn)).Status);
        HistoryEvent crash = (await harness.HistoryAsync(arn)).First(e => e.EventType == HistoryEventTypes.InvocationCompleted);
        Assert.Equal("Runtime.ExitError", crash.Details.Error!.Payload!.ErrorType);
        Assert.Contains("kaboom", crash.Details.Error.Payload.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenConsecutiveFailures_FailTheExecution_WithExponentialBackoffCappedAt60s()
    {
        await using var harness = new EngineHarness();
        var startTimes = new List<DateTimeOffset>();
        harness.Register(_ =>
        {
            startTimes.Add(harness.Time.GetUtcNow());
            throw new InvalidOperationException("always");
        });
        string arn = await harness.StartAsync();

        for (int i = 0; i < 12 && !(await harness.DescribeAsync(arn)).EndTimestamp.HasValue; i++)
        {
            DateTimeOffset? next = await harness.Engine.GetNextDueTimeAsync();
            await harness.AdvanceAsync(next!.Value - harness.Time.GetUtcNow());
        }

        DurableExecutionDescription execution = await harness.DescribeAsync(arn);
        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("Runtime.ExitError", execution.Error!.ErrorType);
        Assert.Equal(10, startTimes.Count);
        int[] gaps = [.. startTimes.Zip(startTimes.Skip(1), (a, b) => (int)(b - a).TotalSeconds)];
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], gaps);
        IReadOnlyList<string> types = await harness.EventTypesAsync(arn);
        Assert.Equal(10, types.Count(t => t == HistoryEventTypes.InvocationCompleted));
        Assert.Equal(HistoryEventTypes.ExecutionFailed, types[^1]);
    }

    [Fact]
    public async Task CleanInvocation_ResetsTheFailureCount()
    {
        await using var harness = new EngineHarness();
        int calls = 0;
        harness.Register(async invocation =>
        {
            calls++;
            if (calls % 2 == 1)
            {
                throw new InvalidOperationException("odd");
            }

            await invocation.CheckpointAsync(Updates.Wait("w" + calls, 1));
            return EngineHarness.Pending();
        });
        string arn = await harness.StartAsync();

        for (int i = 0; i < 30; i++)
        {
            await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(ExecutionStatus.Running, (await harness.DescribeAsync(arn)).Status);
        Assert.True(calls > 20);
    }

    [Fact]
    public async Task PendingWithNothingPending_IsAnInvalidOutputAndRetried()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(harness.Invocations.Count == 1 ? EngineHarness.Pending() : EngineHarness.Succeeded()));

        string arn = await harness.StartAsync();
        HistoryEvent first = (await harness.HistoryAsync(arn)).Single(e => e.EventType == HistoryEventTypes.InvocationCompleted);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal("Cannot return PENDING status with no pending operations.", first.Details.Error!.Payload!.ErrorMessage);
        Assert.Equal(ExecutionStatus.Succeeded, (await harness.DescribeAsync(arn)).Status);
    }

    [Fact]
    public async Task LostInvocation_IsAbandonedAfterItsInvocationTimeout_AndRetried()
    {
        await using var harness = new EngineHarness();
        var never = new TaskCompletionSource<DurableExecutionInvocationOutput>();
        var firstInvocation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Register(_ =>
        {
            firstInvocation.TrySetResult();
            return harness.Invocations.Count == 1 ? never.Task : Task.FromResult(EngineHarness.Succeeded());
        });
        string arn = (await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "1")).DurableExecutionArn;
        await firstInvocation.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The zombie keeps the engine busy, so idleness cannot tell when it was abandoned: the change feed does.
        using (ExecutionChangeSubscription changes = harness.Engine.Changes.Subscribe(ExecutionChangeFilter.Create(null, null, arn)))
        {
            harness.Time.Advance(TimeSpan.FromMinutes(15));
            harness.Engine.Wake();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!(await harness.HistoryAsync(arn)).Any(e => e.EventType == HistoryEventTypes.InvocationCompleted))
            {
                await changes.ReadAsync(TimeSpan.FromDays(1), deadline.Token);
            }
        }

        harness.Time.Advance(InvocationTransitions.Backoff(1));
        harness.Engine.Wake();
        await harness.Engine.WaitForCompletionAsync(arn).WaitAsync(TimeSpan.FromSeconds(10));

        never.SetResult(EngineHarness.Failed("zombie"));
        await harness.IdleAsync();
        DurableExecutionDescription execution = await harness.DescribeAsync(arn);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        HistoryEvent lost = (await harness.HistoryAsync(arn)).First(e => e.EventType == HistoryEventTypes.InvocationCompleted);
        Assert.Equal("Runtime.ExitError", lost.Details.Error!.Payload!.ErrorType);
    }
}
