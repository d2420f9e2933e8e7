using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Engine.Tests;

/// <summary>A restart on the same store: the previous engine's invocation in flight is lost (PROTOCOL.md §0).</summary>
public sealed class LeaseReclaimTests
{
    [Fact]
    public async Task Start_WithReclaimLeasesOnStart_RecordsTheLostInvocationAtOnceAndRetriesIt()
    {
        (InMemoryExecutionStore store, FakeTimeProvider time, string arn) = await LeaveAnInvocationInFlightAsync();

        await using var restarted = new EngineHarness(new DurablyOptions { ReclaimLeasesOnStart = true }, store, time);
        restarted.Register(_ => Task.FromResult(EngineHarness.Succeeded()));
        await restarted.IdleAsync();

        HistoryEvent lost = Assert.Single(await restarted.HistoryAsync(arn), e => e.EventType == HistoryEventTypes.InvocationCompleted);
        Assert.Equal(InvocationTransitions.CrashErrorType, lost.Details.Error!.Payload!.ErrorType);
        Assert.Equal(time.GetUtcNow(), lost.EventTimestamp);
        await restarted.AdvanceAsync(InvocationTransitions.Backoff(1));
        Assert.Equal(ExecutionStatus.Succeeded, (await restarted.DescribeAsync(arn)).Status);
    }

    [Fact]
    public async Task Start_WithoutReclaimLeasesOnStart_LeavesTheLostInvocationToItsTimeout()
    {
        (InMemoryExecutionStore store, FakeTimeProvider time, string arn) = await LeaveAnInvocationInFlightAsync();

        await using var restarted = new EngineHarness(store: store, time: time);
        restarted.Register(_ => Task.FromResult(EngineHarness.Succeeded()));
        await restarted.IdleAsync();

        Assert.DoesNotContain(HistoryEventTypes.InvocationCompleted, await restarted.EventTypesAsync(arn));
        Assert.Equal(time.GetUtcNow().AddMinutes(15), (await restarted.Engine.GetTimersDueByAsync(DateTimeOffset.MaxValue)).Single(t => t.Kind == TimerKind.InvocationLease).DueAt);
    }

    /// <summary>Starts an execution whose invocation never ends, then stops that engine as a crash would.</summary>
    private static async Task<(InMemoryExecutionStore Store, FakeTimeProvider Time, string Arn)> LeaveAnInvocationInFlightAsync()
    {
        var first = new EngineHarness();
        var invoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.Register(_ =>
        {
            invoked.TrySetResult();
            return new TaskCompletionSource<DurableExecutionInvocationOutput>().Task;
        });
        string arn = (await first.Engine.StartExecutionAsync(EngineHarness.FunctionName, "\"in\"")).DurableExecutionArn;
        await invoked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await first.DisposeAsync();
        return (first.Store, first.Time, arn);
    }
}
