using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine.Tests;

public sealed class ExecutionLifecycleTests
{
    [Fact]
    public async Task Start_InvokesWithEnvelope_ExecutionOperationFirstWithIdFromArn()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded("\"ok\"")));

        string arn = await harness.StartAsync("{\"orderId\":42}", "order-42");

        RawInvocation invocation = Assert.Single(harness.Invocations);
        Operation first = invocation.Operations[0];
        Assert.Equal(OperationType.Execution, first.Type);
        Assert.Equal(arn.Split('/')[^1], first.Id);
        Assert.Equal("{\"orderId\":42}", first.ExecutionDetails!.InputPayload);
        Assert.Matches("^arn:aws:lambda:local:000000000000:function:fn:1/durable-execution/order-42/[0-9a-f-]{36}$", arn);
        Assert.True(invocation.Token.Length >= 32);
        Assert.Matches("^[A-Za-z0-9]+$", invocation.Token);
    }

    [Fact]
    public async Task Succeeded_ClosesWithResult_TerminalEventLastAndEventIdsContiguous()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded("\"ok\"")));

        string arn = await harness.StartAsync();

        DurableExecutionDescription execution = await harness.DescribeAsync(arn);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal("\"ok\"", execution.Result);
        Assert.NotNull(execution.EndTimestamp);
        IReadOnlyList<HistoryEvent> history = await harness.HistoryAsync(arn);
        Assert.Equal([HistoryEventTypes.ExecutionStarted, HistoryEventTypes.InvocationCompleted, HistoryEventTypes.ExecutionSucceeded], history.Select(e => e.EventType));
        Assert.Equal([1, 2, 3], history.Select(e => e.EventId));
        Assert.Equal("\"ok\"", history[2].Details.Result!.Payload);
        Assert.Equal(86_400, history[0].Details.ExecutionTimeout);
        Assert.NotNull(history[1].Details.RequestId);
        Assert.Null(history[1].Details.Error);
    }

    [Fact]
    public async Task FailedOutput_ClosesFailedWithTheError_NotRetried()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Failed("nope")));

        string arn = await harness.StartAsync();
        await harness.AdvanceAsync(TimeSpan.FromMinutes(5));

        DurableExecutionDescription execution = await harness.DescribeAsync(arn);
        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("nope", execution.Error!.ErrorMessage);
        Assert.Single(harness.Invocations);
        Assert.Equal(HistoryEventTypes.ExecutionFailed, (await harness.EventTypesAsync(arn))[^1]);
    }

    [Fact]
    public async Task ExecutionCheckpointSucceed_ClosesExecution_LaterOutputIgnored()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(new OperationUpdate { Id = "result-1", Type = OperationType.Execution, Action = OperationAction.Succeed, Payload = "\"big\"" });
            return EngineHarness.Succeeded("");
        });

        string arn = await harness.StartAsync();

        DurableExecutionDescription execution = await harness.DescribeAsync(arn);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal("\"big\"", execution.Result);
        Assert.Equal([HistoryEventTypes.ExecutionStarted, HistoryEventTypes.InvocationCompleted, HistoryEventTypes.ExecutionSucceeded], await harness.EventTypesAsync(arn));
    }

    [Fact]
    public async Task Stop_RunningExecution_StoppedWithDefaultError_AndIdempotent()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(Updates.Wait("w1", 60));
            return EngineHarness.Pending();
        });
        string arn = await harness.StartAsync();

        DateTimeOffset stopped = await harness.Engine.StopExecutionAsync(arn);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(30));
        DateTimeOffset again = await harness.Engine.StopExecutionAsync(arn, new ErrorObject { ErrorMessage = "other" });
        await harness.AdvanceAsync(TimeSpan.FromMinutes(5));

        DurableExecutionDescription execution = await harness.DescribeAsync(arn);
        Assert.Equal(ExecutionStatus.Stopped, execution.Status);
        Assert.Equal(stopped, again);
        Assert.Equal("Execution stopped by user request", execution.Error!.ErrorMessage);
        Assert.Single(harness.Invocations);
        IReadOnlyList<string> types = await harness.EventTypesAsync(arn);
        Assert.Equal(HistoryEventTypes.ExecutionStopped, types[^1]);
        Assert.Equal(1, types.Count(t => t == HistoryEventTypes.ExecutionStopped));
        Assert.Equal(OperationStatus.Started, (await harness.OperationAsync(arn, "w1")).Status);
    }

    [Fact]
    public async Task Stop_UnknownExecution_NotFound()
    {
        await using var harness = new EngineHarness();

        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(() =>
            harness.Engine.StopExecutionAsync("arn:aws:lambda:local:000000000000:function:fn:1/durable-execution/x/00000000-0000-0000-0000-000000000000"));

        Assert.Equal(ServiceErrorCodes.ResourceNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task ExecutionTimeout_TimesOutWithoutReinvoking_TerminalEventLast()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(Updates.Wait("w1", 7200));
            return EngineHarness.Pending();
        }, executionTimeout: TimeSpan.FromHours(1));
        string arn = await harness.StartAsync();

        await harness.AdvanceAsync(TimeSpan.FromHours(1));
        await harness.AdvanceAsync(TimeSpan.FromHours(2));

        DurableExecutionDescription execution = await harness.DescribeAsync(arn);
        Assert.Equal(ExecutionStatus.TimedOut, execution.Status);
        Assert.Equal("Execution timed out after 3600 seconds.", execution.Error!.ErrorMessage);
        Assert.Single(harness.Invocations);
        Assert.Equal(HistoryEventTypes.ExecutionTimedOut, (await harness.EventTypesAsync(arn))[^1]);
        // Only the retention timer outlives the close.
        Assert.Equal(TimerKind.Retention, Assert.Single(await harness.Engine.GetTimersDueByAsync(DateTimeOffset.MaxValue)).Kind);
    }

    [Fact]
    public async Task Versions_NewExecutionsGetLatest_RunningOnesStayPinned()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            if (invocation.Find("w1") is null)
            {
                await invocation.CheckpointAsync(Updates.Wait("w1", 10));
                return EngineHarness.Pending();
            }

            return EngineHarness.Succeeded("\"v1\"");
        }, version: "1");
        string first = await harness.StartAsync();
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded("\"v2\"")), version: "2");

        string second = await harness.StartAsync();
        string pinned = (await harness.Engine.StartExecutionAsync("fn:1", "\"x\"")).DurableExecutionArn;
        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));
        await harness.IdleAsync();

        Assert.Equal("\"v1\"", (await harness.DescribeAsync(first)).Result);
        Assert.Equal("\"v2\"", (await harness.DescribeAsync(second)).Result);
        Assert.Equal("2", (await harness.DescribeAsync(second)).Version);
        Assert.Contains(":function:fn:2/", second, StringComparison.Ordinal);
        Assert.Equal("1", (await harness.DescribeAsync(pinned)).Version);
    }

    [Fact]
    public async Task Start_UnknownFunction_NotFound()
    {
        await using var harness = new EngineHarness();

        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(() => harness.Engine.StartExecutionAsync("missing", "1"));

        Assert.Equal(404, error.StatusCode);
    }

    [Fact]
    public async Task WaitForCompletion_ReturnsWhenClosed()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            if (invocation.Find("w1") is null)
            {
                await invocation.CheckpointAsync(Updates.Wait("w1", 5));
                return EngineHarness.Pending();
            }

            return EngineHarness.Succeeded();
        });
        string arn = await harness.StartAsync();
        Task<DurableExecutionDescription> waiting = harness.Engine.WaitForCompletionAsync(arn);
        Assert.False(waiting.IsCompleted);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(ExecutionStatus.Succeeded, (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).Status);
    }
}
