using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine.Tests;

/// <summary>
/// The first invocation is claimed in the commit that creates the execution, and a fired timer claims the invocation it
/// makes due in its own commit; timers of different executions fire concurrently.
/// </summary>
public sealed class InvocationClaimTests
{
    [Fact]
    public async Task Start_ClaimsTheFirstInvocationInTheCreatingCommit()
    {
        await using var harness = new EngineHarness();
        var invoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource<DurableExecutionInvocationOutput>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Register(_ =>
        {
            invoked.TrySetResult();
            return finish.Task;
        });

        string arn = (await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "\"in\"")).DurableExecutionArn;
        ExecutionArn.TryGetExecutionId(arn, out string? executionId);
        ExecutionSnapshot created = (await harness.Store.LoadAsync(executionId!, []))!;

        // Version 1 is the creation itself: it already holds the invocation and its lease, and no invoke timer is left.
        Assert.Equal(1, created.Execution.Version);
        Assert.NotNull(created.Execution.Invocation);
        IReadOnlyList<TimerRecord> timers = await harness.Engine.GetTimersDueByAsync(DateTimeOffset.MaxValue);
        Assert.Contains(timers, timer => timer.Kind == TimerKind.InvocationLease);
        Assert.DoesNotContain(timers, timer => timer.Kind == TimerKind.Invoke);
        await invoked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        finish.SetResult(EngineHarness.Succeeded());
        await harness.IdleAsync();
        Assert.Equal(ExecutionStatus.Succeeded, (await harness.DescribeAsync(arn)).Status);
    }

    [Fact]
    public async Task Start_BeforeTheEngineRuns_LeavesTheInvocationToTheDispatcher()
    {
        var store = new InMemoryExecutionStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var functions = new FunctionRegistry();
        await using var engine = new DurableEngine(store, functions, time);
        functions.Register(new RegisteredFunction
        {
            Name = EngineHarness.FunctionName,
            Version = "1",
            ExecutionTimeout = TimeSpan.FromDays(1),
            RetentionPeriodInDays = 14,
            InvocationTimeout = TimeSpan.FromMinutes(15),
            Handler = (_, _, _) => Task.FromResult(EngineHarness.Succeeded()),
        });

        string arn = (await engine.StartExecutionAsync(EngineHarness.FunctionName, "\"in\"")).DurableExecutionArn;

        Assert.Contains(await engine.GetTimersDueByAsync(time.GetUtcNow()), timer => timer.Kind == TimerKind.Invoke);
        await engine.StartAsync();
        await engine.WaitForCompletionAsync(arn).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ExecutionStatus.Succeeded, (await engine.GetExecutionAsync(arn)).Status);
    }

    [Fact]
    public async Task WaitsOfManyExecutions_FireTogether_EachResumesExactlyOnce()
    {
        const int Executions = 40;
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            if (invocation.Find("w1") is null)
            {
                await invocation.CheckpointAsync(Updates.Wait("w1", 10));
                return EngineHarness.Pending();
            }

            return EngineHarness.Succeeded();
        });
        string[] arns = await Task.WhenAll(Enumerable.Range(0, Executions).Select(i => harness.StartAsync(name: $"e{i}")));

        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2 * Executions, harness.Invocations.Count);
        foreach (string arn in arns)
        {
            Assert.Equal(
                [HistoryEventTypes.ExecutionStarted, HistoryEventTypes.WaitStarted, HistoryEventTypes.InvocationCompleted, HistoryEventTypes.WaitSucceeded,
                 HistoryEventTypes.InvocationCompleted, HistoryEventTypes.ExecutionSucceeded],
                await harness.EventTypesAsync(arn));
        }
    }

    [Fact]
    public async Task Checkpoint_AfterAnotherWriterMovedTheExecution_ReloadsAndApplies()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            // Another writer commits behind the engine's back: the engine's cached header is now one version behind.
            ExecutionArn.TryGetExecutionId(invocation.Input.DurableExecutionArn, out string? executionId);
            ExecutionSnapshot stored = (await harness.Store.LoadAsync(executionId!, []))!;
            Assert.True(await harness.Store.TryCommitAsync(new ExecutionChange
            {
                Execution = stored.Execution with { Version = stored.Execution.Version + 1 },
                ExpectedVersion = stored.Execution.Version,
            }));

            await invocation.CheckpointAsync(Updates.StepStart("s1"), Updates.StepSucceed("s1"));
            return EngineHarness.Succeeded();
        });

        string arn = await harness.StartAsync();

        Assert.Equal(ExecutionStatus.Succeeded, (await harness.DescribeAsync(arn)).Status);
        Assert.Equal(OperationStatus.Succeeded, (await harness.OperationAsync(arn, "s1")).Status);
    }
}
