using Durably.Protocol;

namespace Durably.Engine.Tests;

public sealed class ChainedInvokeTests
{
    private static EngineHarness HarnessWithParent(string target)
    {
        var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            Operation? invoke = invocation.Find("i1");
            if (invoke is null)
            {
                await invocation.CheckpointAsync(Updates.Invoke("i1", target, "\"ping\""));
                return EngineHarness.Pending();
            }

            return invoke.Status == OperationStatus.Succeeded
                ? EngineHarness.Succeeded(invoke.ChainedInvokeDetails!.Result)
                : new DurableExecutionInvocationOutput { Status = InvocationStatus.Failed, Error = invoke.ChainedInvokeDetails!.Error };
        });
        return harness;
    }

    [Fact]
    public async Task Start_RunsTheChildAndCompletesTheParentWithItsResult()
    {
        await using EngineHarness harness = HarnessWithParent("echo");
        harness.Engine.Functions.Register(new RegisteredFunction
        {
            Name = "echo",
            Version = "3",
            ExecutionTimeout = TimeSpan.FromHours(1),
            RetentionPeriodInDays = 1,
            InvocationTimeout = TimeSpan.FromMinutes(1),
            Handler = FunctionHandlers.Plain<string, string>(input => Task.FromResult(input + "-pong")),
        });

        string arn = await harness.StartAsync();

        DurableExecutionDescription parent = await harness.DescribeAsync(arn);
        Assert.Equal(ExecutionStatus.Succeeded, parent.Status);
        Assert.Equal("\"ping-pong\"", parent.Result);
        IReadOnlyList<HistoryEvent> history = await harness.HistoryAsync(arn);
        HistoryEvent started = history.Single(e => e.EventType == HistoryEventTypes.ChainedInvokeStarted);
        Assert.Equal(("echo", "3", "\"ping\""), (started.Details.FunctionName, started.Details.ExecutedVersion, started.Details.Input!.Payload));
        Assert.Equal(
            [HistoryEventTypes.ExecutionStarted, HistoryEventTypes.ChainedInvokeStarted, HistoryEventTypes.InvocationCompleted,
             HistoryEventTypes.ChainedInvokeSucceeded, HistoryEventTypes.InvocationCompleted, HistoryEventTypes.ExecutionSucceeded],
            history.Select(e => e.EventType));
        DurableExecutionDescription child = await harness.DescribeAsync(started.Details.DurableExecutionArn!);
        Assert.Equal(ExecutionStatus.Succeeded, child.Status);
        Assert.StartsWith(arn.Split('/')[^1] + "-", child.DurableExecutionName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChildFailure_FailsTheParentsOperation()
    {
        await using EngineHarness harness = HarnessWithParent("broken");
        harness.Engine.Functions.Register(new RegisteredFunction
        {
            Name = "broken",
            Version = "1",
            ExecutionTimeout = TimeSpan.FromHours(1),
            RetentionPeriodInDays = 1,
            InvocationTimeout = TimeSpan.FromMinutes(1),
            Handler = FunctionHandlers.Plain<string, string>(_ => throw new InvalidOperationException("child broke")),
        });

        string arn = await harness.StartAsync();

        Operation invoke = await harness.OperationAsync(arn, "i1");
        Assert.Equal(OperationStatus.Failed, invoke.Status);
        Assert.Equal("child broke", invoke.ChainedInvokeDetails!.Error!.ErrorMessage);
        Assert.Contains(HistoryEventTypes.ChainedInvokeFailed, await harness.EventTypesAsync(arn));
    }

    [Fact]
    public async Task ChildStopped_StopsTheParentsOperation()
    {
        await using EngineHarness harness = HarnessWithParent("slow");
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(Updates.Wait("w1", 100));
            return EngineHarness.Pending();
        }, name: "slow");
        string arn = await harness.StartAsync();
        string childArn = (await harness.HistoryAsync(arn)).Single(e => e.EventType == HistoryEventTypes.ChainedInvokeStarted).Details.DurableExecutionArn!;

        await harness.Engine.StopExecutionAsync(childArn);
        await harness.IdleAsync();

        Assert.Equal(OperationStatus.Stopped, (await harness.OperationAsync(arn, "i1")).Status);
        Assert.Equal(ExecutionStatus.Failed, (await harness.DescribeAsync(arn)).Status);
    }

    [Fact]
    public async Task UnknownTarget_IsRejected_NoChildStarted()
    {
        await using var harness = new EngineHarness();
        DurableServiceException? error = null;
        harness.Register(async invocation =>
        {
            error = await Assert.ThrowsAsync<DurableServiceException>(() => invocation.CheckpointAsync(Updates.Invoke("i1", "nowhere", "1")));
            return EngineHarness.Succeeded();
        });

        await harness.StartAsync();

        Assert.Contains("nowhere", error!.Message, StringComparison.Ordinal);
        Assert.Single(harness.Invocations);
    }

    [Fact]
    public async Task ChildFinishingDuringTheParentsInvocation_IsRecordedAfterThatInvocationCompleted()
    {
        var childRan = new TaskCompletionSource();
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            Operation? invoke = invocation.Find("i1");
            if (invoke is not null)
            {
                return EngineHarness.Succeeded(invoke.ChainedInvokeDetails!.Result);
            }

            await invocation.CheckpointAsync(Updates.Invoke("i1", "quick", "\"ping\""));
            await childRan.Task.WaitAsync(TimeSpan.FromSeconds(10));
            // Hold this invocation open until the child execution has closed.
            string childArn = (await harness.HistoryAsync(invocation.Input.DurableExecutionArn))
                .Single(e => e.EventType == HistoryEventTypes.ChainedInvokeStarted).Details.DurableExecutionArn!;
            await harness.Engine.WaitForCompletionAsync(childArn).WaitAsync(TimeSpan.FromSeconds(10));

            return EngineHarness.Pending();
        });
        harness.Register(invocation =>
        {
            childRan.TrySetResult();
            return Task.FromResult(EngineHarness.Succeeded("\"pong\""));
        }, name: "quick");

        string arn = await harness.StartAsync();

        Assert.Equal(
            [HistoryEventTypes.ExecutionStarted, HistoryEventTypes.ChainedInvokeStarted, HistoryEventTypes.InvocationCompleted,
             HistoryEventTypes.ChainedInvokeSucceeded, HistoryEventTypes.InvocationCompleted, HistoryEventTypes.ExecutionSucceeded],
            await harness.EventTypesAsync(arn));
        Assert.Null((await harness.HistoryAsync(arn))[2].Details.Error);
        Assert.Equal("\"pong\"", (await harness.DescribeAsync(arn)).Result);
    }
}
