using Durably.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Tests;

public sealed class StepTests
{
    [Fact]
    public async Task StepAsync_CompletedInLog_ReturnsRecordedResultWithoutRunningBodyAgain()
    {
        var client = new FakeExecutionClient("\"World\"");
        int runs = 0;
        Task<string> Workflow(string input, IDurableContext context) =>
            context.StepAsync((_, _) => { runs++; return Task.FromResult($"Hello, {input}!"); }, "greet");

        DurableExecutionInvocationOutput first = await client.InvokeAsync<string, string>(Workflow);
        DurableExecutionInvocationOutput replay = await client.InvokeAsync<string, string>(Workflow);

        Assert.Equal(InvocationStatus.Succeeded, first.Status);
        Assert.Equal("\"Hello, World!\"", first.Result);
        Assert.Equal(first.Result, replay.Result);
        Assert.Equal(1, runs);
        Assert.Equal(2, client.Updates.Count()); // START + SUCCEED, nothing on replay
    }

    [Fact]
    public async Task StepAsync_AtLeastOnce_StartRidesWithSucceedInOneRequest()
    {
        var client = new FakeExecutionClient("1");

        // A clock that does not move: the lazy START cannot be flushed alone, however slow the machine is.
        await client.InvokeAsync<int, int>((input, context) => context.StepAsync((_, _) => Task.FromResult(input + 1)), new FakeTimeProvider(FakeExecutionClient.Now));

        CheckpointDurableExecutionRequest request = Assert.Single(client.Requests);
        Assert.Equal([OperationAction.Start, OperationAction.Succeed], request.Updates!.Select(u => u.Action));
        Assert.All(request.Updates!, u => Assert.Null(u.Name));
    }

    [Fact]
    public async Task StepAsync_ResultReturnedOnlyAfterSucceedIsAcknowledged()
    {
        var client = new FakeExecutionClient("1");
        var release = new TaskCompletionSource();
        var succeedSeen = new TaskCompletionSource();
        client.BeforeCheckpoint = async request =>
        {
            if (request.Updates!.Any(u => u.Action == OperationAction.Succeed && u.Type == OperationType.Step))
            {
                succeedSeen.TrySetResult();
                await release.Task;
            }
        };
        bool continued = false;

        Task<DurableExecutionInvocationOutput> invocation = client.InvokeAsync<int, int>(async (_, context) =>
        {
            int value = await context.StepAsync((_, _) => Task.FromResult(7), "compute");
            continued = true;
            return value;
        });
        await succeedSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(continued);
        release.SetResult();
        DurableExecutionInvocationOutput output = await invocation.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(continued);
        Assert.Equal("7", output.Result);
    }

    [Fact]
    public async Task StepAsync_Failure_RetriesWithDelayThenSucceeds()
    {
        var client = new FakeExecutionClient("0");
        int attempts = 0;
        var config = new StepConfig { RetryStrategy = RetryStrategy.Exponential(maxAttempts: 3, initialDelay: TimeSpan.FromSeconds(2), jitter: JitterStrategy.None) };
        Task<int> Workflow(int _, IDurableContext context) => context.StepAsync((step, _) =>
        {
            attempts++;
            return step.AttemptNumber < 2 ? throw new InvalidOperationException("flaky") : Task.FromResult(step.AttemptNumber);
        }, "flaky", config);

        DurableExecutionInvocationOutput first = await client.InvokeAsync<int, int>(Workflow);
        Operation pending = client.Single(OperationType.Step, "flaky");
        client.FireTimers();
        DurableExecutionInvocationOutput second = await client.InvokeAsync<int, int>(Workflow);

        Assert.Equal(InvocationStatus.Pending, first.Status);
        Assert.Equal(OperationStatus.Pending, pending.Status);
        OperationUpdate retry = client.Updates.Single(u => u.Action == OperationAction.Retry);
        Assert.Equal(2, retry.StepOptions!.NextAttemptDelaySeconds);
        Assert.Equal("InvalidOperationException", retry.Error!.ErrorType);
        Assert.Equal("flaky", retry.Error.ErrorMessage);
        Assert.Equal(InvocationStatus.Succeeded, second.Status);
        Assert.Equal("2", second.Result);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task StepAsync_RetriesExhausted_ThrowsStepExceptionWithRecordedError()
    {
        var client = new FakeExecutionClient("0");
        StepException? caught = null;
        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, string>(async (_, context) =>
        {
            try
            {
                await context.StepAsync<int>((_, _) => throw new TimeoutException("gateway down"), "charge", new StepConfig { RetryStrategy = RetryStrategy.None });
            }
            catch (StepException exception)
            {
                caught = exception;
            }

            return "handled";
        });

        Assert.Equal(InvocationStatus.Succeeded, output.Status);
        Assert.NotNull(caught);
        Assert.Equal("TimeoutException", caught.ErrorType);
        Assert.Equal("gateway down", caught.ErrorMessage);
        Assert.IsType<TimeoutException>(caught.InnerException);
        Assert.Equal(OperationStatus.Failed, client.Single(OperationType.Step, "charge").Status);
    }

    [Fact]
    public async Task StepAsync_AtMostOnceInterrupted_IsNotRerunAndFailsWithStepInterrupted()
    {
        var client = new FakeExecutionClient("0");
        int runs = 0;
        var blockForever = new TaskCompletionSource<int>();
        var config = new StepConfig { Semantics = StepSemantics.AtMostOncePerRetry, RetryStrategy = RetryStrategy.None };
        Task<int> Workflow(int _, IDurableContext context) => context.StepAsync((_, _) => { runs++; return blockForever.Task; }, "charge", config);

        // First invocation: START is durable, then the "process dies" mid-body (we abandon it).
        _ = client.InvokeAsync<int, int>(Workflow);
        await client.WhenOperationAsync(o => o.Name == "charge", "the 'charge' step's START");
        DurableExecutionInvocationOutput replay = await client.InvokeAsync<int, int>(Workflow);

        Assert.Equal(1, runs);
        Assert.Equal(InvocationStatus.Failed, replay.Status);
        Assert.Equal("StepInterrupted", client.Single(OperationType.Step, "charge").StepDetails!.Error!.ErrorType);
        Assert.Equal(OperationStatus.Failed, client.Single(OperationType.Step, "charge").Status);
    }

    [Fact]
    public async Task StepAsync_AtLeastOnceInterrupted_RerunsTheAttempt()
    {
        var client = new FakeExecutionClient("0");
        client.BeforeCheckpoint = _ => Task.CompletedTask;
        int runs = 0;
        // Simulate an interrupted at-least-once attempt: START recorded, no outcome.
        await client.CheckpointAsync(new CheckpointDurableExecutionRequest
        {
            CheckpointToken = client.NewInvocation().CheckpointToken,
            Updates = [new OperationUpdate { Id = Replay.OperationIds.For(null, 1), Type = OperationType.Step, SubType = "Step", Name = "send", Action = OperationAction.Start }],
        });

        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, int>((_, context) =>
            context.StepAsync((step, _) => { runs++; return Task.FromResult(step.AttemptNumber); }, "send"));

        Assert.Equal(1, runs);
        Assert.Equal("1", output.Result);
        Assert.DoesNotContain(client.Requests[^1].Updates!, u => u.Action == OperationAction.Start);
    }
}
