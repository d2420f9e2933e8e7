using Durably.Protocol;
using Durably.Testing;

namespace Durably.Testing.Tests;

/// <summary>Histories of real C# workflows against AWS's conformance histories (shared/conformance), event by event.</summary>
public sealed class ConformanceHistoryTests
{
    private static void AssertEvents(TestResult<string> result, params (int EventId, string EventType)[] expected)
    {
        foreach ((int eventId, string eventType) in expected)
        {
            Assert.Equal(eventType, result.History.Single(e => e.EventId == eventId).EventType);
        }
    }

    [Fact]
    public async Task Step_1_11_RetryThenSucceed()
    {
        int attempt = 0;
        await using var runner = new DurableTestRunner<string, string>(async (_, context) =>
            await context.StepAsync((_, _) => ++attempt == 1 ? throw new InvalidOperationException("first") : Task.FromResult("Operation succeeded"), config:
                new StepConfig { RetryStrategy = RetryStrategy.Exponential(maxAttempts: 3, initialDelay: TimeSpan.FromSeconds(1), jitter: JitterStrategy.None) }));

        TestResult<string> result = await runner.RunAsync("");

        Assert.Equal("Operation succeeded", result.Result);
        AssertEvents(result, (1, HistoryEventTypes.ExecutionStarted), (2, HistoryEventTypes.StepStarted), (3, HistoryEventTypes.StepFailed),
            (4, HistoryEventTypes.InvocationCompleted), (5, HistoryEventTypes.StepStarted), (6, HistoryEventTypes.StepSucceeded),
            (7, HistoryEventTypes.InvocationCompleted), (8, HistoryEventTypes.ExecutionSucceeded));
        Assert.Equal(1, result.History[2].Details.RetryDetails!.CurrentAttempt);
        Assert.Equal(1, result.History[2].Details.RetryDetails!.NextAttemptDelaySeconds); // 1 s initial, no jitter
        Assert.Equal("Step", result.History[1].SubType);
        Assert.Equal(new RetryDetails { CurrentAttempt = 2 }, result.History[5].Details.RetryDetails);
        Assert.Equal(8, result.History.Count);
    }

    [Fact]
    public async Task Callback_4_4_HeartbeatTimeout()
    {
        await using var runner = new DurableTestRunner<string, string>(async (name, context) =>
            await (await context.CreateCallbackAsync<string>(name, new CallbackConfig { HeartbeatTimeout = TimeSpan.FromSeconds(5) })).GetResultAsync());

        TestResult<string> result = await runner.RunAsync("cb-name");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        AssertEvents(result, (2, HistoryEventTypes.CallbackStarted), (3, HistoryEventTypes.InvocationCompleted), (4, HistoryEventTypes.CallbackTimedOut),
            (5, HistoryEventTypes.InvocationCompleted), (6, HistoryEventTypes.ExecutionFailed));
        Assert.Equal(5, result.History[1].Details.HeartbeatTimeout);
        Assert.Null(result.History[1].Details.Timeout);
        Assert.Equal("cb-name", result.History[3].Name);
        Assert.Equal("Callback.Heartbeat", result.History[3].Details.Error!.Payload!.ErrorType);
        Assert.Equal(6, result.History.Count);
    }

    [Fact]
    public async Task Wait_2_1_WaitThenSucceed()
    {
        await using var runner = new DurableTestRunner<string, string>(async (_, context) =>
        {
            await context.WaitAsync(TimeSpan.FromSeconds(1));
            return "done";
        });

        TestResult<string> result = await runner.RunAsync("");

        AssertEvents(result, (2, HistoryEventTypes.WaitStarted), (3, HistoryEventTypes.InvocationCompleted), (4, HistoryEventTypes.WaitSucceeded),
            (5, HistoryEventTypes.InvocationCompleted), (6, HistoryEventTypes.ExecutionSucceeded));
        Assert.Equal(1, result.History[1].Details.Duration);
        Assert.Equal(1, result.History[3].Details.Duration);
    }
}
