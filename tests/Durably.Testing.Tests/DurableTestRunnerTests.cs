using Durably.Protocol;
using Durably.Testing;

namespace Durably.Testing.Tests;

public sealed class DurableTestRunnerTests
{
    public sealed record Order(string Id, int Amount);

    [Fact]
    public async Task RunAsync_StepsRunOnce_ResultAndOperationsAreInspectableByName()
    {
        int charged = 0;
        await using var runner = new DurableTestRunner<Order, string>(async (order, context) =>
        {
            int amount = await context.StepAsync((_, _) => Task.FromResult(order.Amount * 2), "double");
            await context.StepAsync((_, _) => { charged++; return Task.FromResult(amount); }, "charge");
            return $"{order.Id}:{amount}";
        });

        TestResult<string> result = await runner.RunAsync(new Order("o-1", 21));

        result.EnsureSucceeded();
        Assert.Equal("o-1:42", result.Result);
        Assert.Equal(42, result.GetStep("double").GetResult<int>());
        Assert.Equal(OperationType.Step, result.GetStep("charge").Type);
        Assert.Equal(1, result.GetStep("charge").Attempt);
        Assert.Equal(1, charged);
        Assert.Equal(1, result.InvocationCount);
        Assert.Equal(2, result.Operations.Count);
        Assert.Equal(HistoryEventTypes.ExecutionSucceeded, result.History[^1].EventType);
    }

    [Fact]
    public async Task RunAsync_ThirtyDayWait_FinishesWithoutRealTime_AndTimeMovesExactly()
    {
        await using var runner = new DurableTestRunner<string, DateTimeOffset>(async (_, context) =>
        {
            await context.WaitAsync(TimeSpan.FromDays(30), "cool-off");
            return await context.StepAsync((_, _) => Task.FromResult(DateTimeOffset.UnixEpoch), "after");
        }, new TestRunnerOptions { DefaultTimeout = TimeSpan.FromSeconds(20) });
        DateTimeOffset start = runner.TimeProvider.GetUtcNow();

        TestResult<DateTimeOffset> result = await runner.RunAsync("x");

        Assert.True(result.IsSucceeded, result.Error?.ErrorMessage);
        TestOperation wait = result.GetStep("cool-off");
        Assert.Equal(30 * 86_400, wait.WaitSeconds);
        Assert.Equal(start.AddDays(30), wait.EndTimestamp);
        Assert.Equal(2, result.InvocationCount);
    }

    [Fact]
    public async Task RunAsync_FailingStepIsRetriedByItsStrategy_AttemptsRecorded()
    {
        int attempts = 0;
        await using var runner = new DurableTestRunner<string, int>(async (_, context) =>
            await context.StepAsync((step, _) => ++attempts < 3 ? throw new InvalidOperationException("flaky") : Task.FromResult(step.AttemptNumber), "flaky",
                new StepConfig { RetryStrategy = RetryStrategy.Exponential(maxAttempts: 5, initialDelay: TimeSpan.FromSeconds(10)) }));

        TestResult<int> result = await runner.RunAsync("x");

        Assert.Equal(3, result.Result);
        Assert.Equal(3, result.GetStep("flaky").Attempt);
        Assert.Equal(3, result.InvocationCount);
        Assert.Equal(2, result.History.Count(e => e.EventType == HistoryEventTypes.StepFailed));
    }

    [Fact]
    public async Task RunAsync_HandlerThrows_ResultIsFailedWithTheError()
    {
        await using var runner = new DurableTestRunner<string, string>((_, _) => throw new InvalidOperationException("broken input"));

        TestResult<string> result = await runner.RunAsync("x");

        Assert.True(result.IsFailed);
        Assert.Contains("broken input", result.Error!.ErrorMessage, StringComparison.Ordinal);
        Assert.Throws<DurableExecutionFailedException>(() => result.EnsureSucceeded());
    }

    [Fact]
    public async Task Callback_StartWaitForCallbackAnswer_CompletesTheWorkflow()
    {
        await using var runner = new DurableTestRunner<string, string>(async (_, context) =>
        {
            await context.StepAsync((_, _) => Task.FromResult(1), "validate");
            ICallback<Approval> approval = await context.CreateCallbackAsync<Approval>("awaiting-approval");
            Approval answer = await approval.GetResultAsync();
            return answer.Approved ? "approved" : "rejected";
        });

        string arn = await runner.StartAsync("o-2");
        string callbackId = await runner.WaitForCallbackAsync(arn, "awaiting-approval");
        Assert.Equal(ExecutionStatus.Running, (await runner.GetResultAsync(arn)).Status);
        await runner.SendCallbackSuccessAsync(callbackId, new Approval(true));
        TestResult<string> done = await runner.WaitForResultAsync(arn);

        Assert.Equal("approved", done.Result);
        Assert.Equal(callbackId, done.GetStep("awaiting-approval").CallbackId);
    }

    [Fact]
    public async Task Callback_NeverAnswered_WaitForResultReturnsRunning()
    {
        await using var runner = new DurableTestRunner<string, string>(async (_, context) =>
            await (await context.CreateCallbackAsync<string>("forever")).GetResultAsync());

        string arn = await runner.StartAsync("x");
        TestResult<string> result = await runner.WaitForResultAsync(arn);

        Assert.Equal(ExecutionStatus.Running, result.Status);
    }

    [Fact]
    public async Task Callback_NeverAnswered_TimeIsNotSkippedToAnEarlierExecutionsRetentionEnd()
    {
        await using var runner = new DurableTestRunner<string, string>(async (input, context) =>
            input == "quick" ? input : await (await context.CreateCallbackAsync<string>("forever")).GetResultAsync());
        TestResult<string> earlier = await runner.RunAsync("quick");
        DateTimeOffset before = runner.TimeProvider.GetUtcNow();

        string arn = await runner.StartAsync("x");
        TestResult<string> waiting = await runner.WaitForResultAsync(arn);

        Assert.Equal(ExecutionStatus.Running, waiting.Status);
        Assert.Equal(before, runner.TimeProvider.GetUtcNow());
        Assert.Equal(ExecutionStatus.Succeeded, (await runner.GetResultAsync(earlier.DurableExecutionArn)).Status);
    }

    [Fact]
    public async Task Callback_Timeout_IsSkippedTo_AndSurfacesAsFailure()
    {
        await using var runner = new DurableTestRunner<string, string>(async (_, context) =>
        {
            ICallback<string> callback = await context.CreateCallbackAsync<string>("slow", new CallbackConfig { Timeout = TimeSpan.FromHours(2) });
            try
            {
                return await callback.GetResultAsync();
            }
            catch (CallbackTimeoutException)
            {
                return "timed out";
            }
        });

        TestResult<string> result = await runner.RunAsync("x");

        Assert.Equal("timed out", result.Result);
        Assert.Equal(OperationStatus.TimedOut, result.GetStep("slow").Status);
        Assert.Equal("Callback.Timeout", result.GetStep("slow").Error!.ErrorType);
    }

    [Fact]
    public async Task Callback_Failure_SurfacesAsCallbackFailedException()
    {
        await using var runner = new DurableTestRunner<string, string>(async (_, context) =>
        {
            try
            {
                return await (await context.CreateCallbackAsync<string>("approval")).GetResultAsync();
            }
            catch (CallbackFailedException exception)
            {
                return "failed: " + exception.Message;
            }
        });

        string arn = await runner.StartAsync("x");
        await runner.SendCallbackFailureAsync(await runner.WaitForCallbackAsync(arn), new ErrorObject { ErrorType = "Rejected", ErrorMessage = "no way" });
        TestResult<string> result = await runner.WaitForResultAsync(arn);

        Assert.StartsWith("failed: ", result.Result, StringComparison.Ordinal);
        Assert.Contains("no way", result.Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_PlainAndDurableTargets_ReturnTheirResults()
    {
        await using var runner = new DurableTestRunner<int, int>(async (input, context) =>
        {
            int doubled = await context.InvokeAsync<int, int>("double", input, "call-double");
            return await context.InvokeAsync<int, int>("add-after-wait", doubled, "call-add");
        });
        runner.RegisterFunction<int, int>("double", value => Task.FromResult(value * 2))
            .RegisterDurableFunction<int, int>("add-after-wait", async (value, context) =>
            {
                await context.WaitAsync(TimeSpan.FromHours(1));
                return value + 1;
            });

        TestResult<int> result = await runner.RunAsync(20);

        Assert.True(result.IsSucceeded, result.Error?.ErrorMessage);
        Assert.Equal(41, result.Result);
        Assert.Equal(OperationType.ChainedInvoke, result.GetStep("call-add").Type);
        Assert.Equal(41, result.GetStep("call-add").GetResult<int>());
    }

    [Fact]
    public async Task Stop_StopsARunningExecution()
    {
        await using var runner = new DurableTestRunner<string, string>(async (_, context) =>
            await (await context.CreateCallbackAsync<string>("never")).GetResultAsync());
        string arn = await runner.StartAsync("x");

        await runner.StopAsync(arn);

        Assert.Equal(ExecutionStatus.Stopped, (await runner.WaitForResultAsync(arn)).Status);
    }

    [Fact]
    public async Task MaxInvocations_StopsARunawayExecution()
    {
        await using var runner = new DurableTestRunner<string, string>(async (_, context) =>
        {
            for (int i = 0; ; i++)
            {
                await context.WaitAsync(TimeSpan.FromSeconds(1), "tick-" + i);
            }
        }, new TestRunnerOptions { MaxInvocations = 5 });

        TestResult<string> result = await runner.RunAsync("x");

        Assert.True(result.IsFailed);
        Assert.Equal("MaxInvocationsExceeded", result.Error!.ErrorType);
        Assert.Equal(5, result.InvocationCount);
    }

    [Fact]
    public async Task ChildContext_OperationsAreNestedAsChildren()
    {
        await using var runner = new DurableTestRunner<string, int>(async (_, context) =>
            await context.RunInChildContextAsync(async (child, _) =>
            {
                int a = await child.StepAsync((_, _) => Task.FromResult(1), "a");
                int b = await child.StepAsync((_, _) => Task.FromResult(2), "b");
                return a + b;
            }, "sum"));

        TestResult<int> result = await runner.RunAsync("x");

        Assert.Equal(3, result.Result);
        Assert.Equal(["a", "b"], result.GetStep("sum").Children.Select(child => child.Name));
    }

    [Fact]
    public async Task SkipTimeOff_WithFakeTime_LeavesTheExecutionWaiting()
    {
        await using var runner = new DurableTestRunner<string, string>(async (_, context) =>
        {
            await context.WaitAsync(TimeSpan.FromMinutes(1));
            return "done";
        }, new TestRunnerOptions { SkipTime = false });

        TestResult<string> result = await runner.RunAsync("x");

        Assert.Equal(ExecutionStatus.Running, result.Status);
    }

    public sealed record Approval(bool Approved);
}
