using AwsParity.Workflows;
using Durably.Protocol;
using Durably.Testing;

namespace Durably.AwsParity.Tests;

public sealed class CancellationTests
{
    [Fact]
    public async Task A_token_cancelled_while_the_step_runs_throws_and_records_no_outcome()
    {
        await using var runner = new DurableTestRunner<string, string>(CancellationWorkflows.CancelledWhileRunning);

        var result = await runner.RunAsync("c");

        ErrorObject error = Corpus.Failed(result);
        Assert.Contains("Canceled", error.ErrorType, StringComparison.Ordinal);
        Assert.Equal([HistoryEventTypes.StepStarted, HistoryEventTypes.StepSucceeded], Corpus.Events(result, "before"));
        // The cancelled attempt neither failed nor was scheduled for a retry: a later run would start it afresh.
        Assert.DoesNotContain(Corpus.Events(result, "cancelled-step"), e => e is HistoryEventTypes.StepFailed or HistoryEventTypes.StepSucceeded);
        Assert.True(result.FindStep("cancelled-step") is null or { Status: OperationStatus.Started }, $"{result.FindStep("cancelled-step")}");
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_throws_before_anything_is_recorded()
    {
        await using var runner = new DurableTestRunner<string, string>(CancellationWorkflows.CancelledBefore);

        var result = Corpus.Succeeded(await runner.RunAsync("c"));

        Assert.Equal("c continued", result.Result);
        Assert.Equal(["Step after-cancel Succeeded"], Corpus.Shape(result));
    }

    [Fact]
    public async Task The_runner_honours_its_cancellation_token()
    {
        await using var runner = new DurableTestRunner<string, string>(CancellationWorkflows.CancelledBefore);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync("c", cancellationToken: cancelled.Token));
    }
}
