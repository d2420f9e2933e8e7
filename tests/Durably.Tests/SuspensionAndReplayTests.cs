using Durably.Protocol;

namespace Durably.Tests;

public sealed class SuspensionAndReplayTests
{
    [Fact]
    public async Task WaitAsync_InsideCatchAll_SuspendsWithoutUserCodeObservingIt()
    {
        var client = new FakeExecutionClient("0");
        Exception? observed = null;
        bool after = false;
        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, int>(async (_, context) =>
        {
            try
            {
                await context.WaitAsync(TimeSpan.FromDays(30), "cool-off");
            }
            catch (Exception exception)
            {
                observed = exception;
            }

            after = true;
            return 1;
        });

        Assert.Equal(InvocationStatus.Pending, output.Status);
        Assert.Null(observed);
        Assert.False(after);
        OperationUpdate start = Assert.Single(client.Updates);
        Assert.Equal(30 * 24 * 3600, start.WaitOptions!.WaitSeconds);
    }

    [Fact]
    public async Task WaitAsync_AfterTimerFired_ContinuesOnReplay()
    {
        var client = new FakeExecutionClient("0");
        int stepsRun = 0;
        async Task<int> Workflow(int _, IDurableContext context)
        {
            await context.StepAsync((_, _) => { stepsRun++; return Task.FromResult(1); }, "before");
            await context.WaitAsync(TimeSpan.FromSeconds(5), "pause");
            return await context.StepAsync((_, _) => { stepsRun++; return Task.FromResult(2); }, "after");
        }

        DurableExecutionInvocationOutput first = await client.InvokeAsync<int, int>(Workflow);
        client.FireTimers();
        DurableExecutionInvocationOutput second = await client.InvokeAsync<int, int>(Workflow);

        Assert.Equal(InvocationStatus.Pending, first.Status);
        Assert.Equal(InvocationStatus.Succeeded, second.Status);
        Assert.Equal("2", second.Result);
        Assert.Equal(2, stepsRun);
    }

    [Fact]
    public async Task Replay_WithChangedOperationType_FailsNamingBothSides()
    {
        var client = new FakeExecutionClient("0");
        await client.InvokeAsync<int, int>((_, context) => context.StepAsync((_, _) => Task.FromResult(1), "charge"));

        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, int>(async (_, context) =>
        {
            try
            {
                await context.WaitAsync(TimeSpan.FromSeconds(1), "charge");
            }
            catch (Exception)
            {
                // Swallowing does not help: the execution fails anyway.
            }

            return 0;
        });

        Assert.Equal(InvocationStatus.Failed, output.Status);
        Assert.Equal(nameof(NonDeterministicExecutionException), output.Error!.ErrorType);
        Assert.Contains("Step", output.Error.ErrorMessage);
        Assert.Contains("Wait", output.Error.ErrorMessage);
    }

    [Fact]
    public async Task Replay_WithChangedName_FailsNamingBothNames()
    {
        var client = new FakeExecutionClient("0");
        await client.InvokeAsync<int, int>((_, context) => context.StepAsync((_, _) => Task.FromResult(1), "charge"));

        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, int>((_, context) =>
            context.StepAsync((_, _) => Task.FromResult(1), "refund"));

        Assert.Equal(InvocationStatus.Failed, output.Status);
        Assert.Contains("\"charge\"", output.Error!.ErrorMessage);
        Assert.Contains("\"refund\"", output.Error.ErrorMessage);
    }

    [Fact]
    public async Task Checkpoint_WithStaleToken_EndsTheInvocationWithARetryableError()
    {
        var client = new FakeExecutionClient("0");
        DurableExecutionInvocationInput stale = client.NewInvocation();
        _ = client.NewInvocation(); // a newer invocation makes the first token stale

        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(() =>
            DurableFunction.WrapAsync<int, int>((_, context) => context.StepAsync((_, _) => Task.FromResult(1)), stale, client));

        Assert.True(error.IsInvalidCheckpointToken);
        Assert.StartsWith("Invalid Checkpoint Token", error.Message);
    }

    [Fact]
    public async Task Checkpoint_RejectedWithValidationError_FailsTheExecutionWithoutUserCodeSeeingIt()
    {
        var client = new FakeExecutionClient("0");
        client.BeforeCheckpoint = _ => throw ServiceErrorCodes.InvalidParameter("Invalid parent operation id.");
        bool caught = false;

        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, int>(async (_, context) =>
        {
            try
            {
                return await context.StepAsync((_, _) => Task.FromResult(1));
            }
            catch (Exception)
            {
                caught = true;
                return -1;
            }
        });

        Assert.False(caught);
        Assert.Equal(InvocationStatus.Failed, output.Status);
        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, output.Error!.ErrorType);
        Assert.Contains("Invalid parent operation id.", output.Error.ErrorMessage);
    }

    [Fact]
    public async Task Handler_ThrowingOutsideOperations_FailsWithTheExceptionTypeName()
    {
        var client = new FakeExecutionClient("0");

        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, int>((_, _) => throw new ArgumentException("bad order"));

        Assert.Equal(InvocationStatus.Failed, output.Status);
        Assert.Equal("ArgumentException", output.Error!.ErrorType);
        Assert.Equal("bad order", output.Error.ErrorMessage);
    }

    [Fact]
    public async Task Logger_IsSilentWhileReplaying()
    {
        var client = new FakeExecutionClient("0");
        var lines = new List<string>();
        var factory = new ListLoggerFactory(lines);
        async Task<int> Workflow(int _, IDurableContext context)
        {
            context.Logger.LogLine("start");
            await context.StepAsync((_, _) => Task.FromResult(1), "one");
            context.Logger.LogLine("between");
            await context.WaitAsync(TimeSpan.FromSeconds(1));
            context.Logger.LogLine("end");
            return 1;
        }

        await DurableFunction.WrapAsync<int, int>(Workflow, client.NewInvocation(), client, new DurableFunctionOptions { LoggerFactory = factory });
        client.FireTimers();
        await DurableFunction.WrapAsync<int, int>(Workflow, client.NewInvocation(), client, new DurableFunctionOptions { LoggerFactory = factory });

        Assert.Equal(["start", "between", "end"], lines);
    }
}

public sealed class PollingTests
{
    [Fact]
    public async Task BlockedBranch_WhileAnotherRunsAStep_IsWokenByAPollWithoutSuspending()
    {
        var client = new FakeExecutionClient("0");
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(FakeExecutionClient.Now);
        var releaseStep = new TaskCompletionSource<string>();
        var waitDone = new TaskCompletionSource();

        Task<DurableExecutionInvocationOutput> invocation = DurableFunction.WrapAsync<int, string>(async (_, context) =>
        {
            IBatchResult<string> batch = await context.ParallelAsync<string>(
            [
                (c, _) => c.StepAsync((_, _) => releaseStep.Task, "long"),
                async (c, _) => { await c.WaitAsync(TimeSpan.FromSeconds(5), "short"); waitDone.SetResult(); return "waited"; },
            ]);
            return string.Join(",", batch.GetResults());
        }, client.NewInvocation(), client, new DurableFunctionOptions { TimeProvider = time });

        await client.WhenOperationAsync(o => o.Name == "short", "the 'short' wait");
        client.FireTimers();                      // the service ends the wait…
        time.Advance(TimeSpan.FromSeconds(5));    // …and the SDK polls at its scheduled end
        await waitDone.Task.WaitAsync(TimeSpan.FromSeconds(10));
        releaseStep.SetResult("stepped");
        DurableExecutionInvocationOutput output = await invocation.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("\"stepped,waited\"", output.Result);
        Assert.Contains(client.Requests, r => r.Updates!.Count == 0);
    }
}
