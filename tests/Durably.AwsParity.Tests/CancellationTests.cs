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

        var result = Corpus.Succeeded(await runner.RunAsync("c"));

        Assert.Equal("c cancelled", result.Result);
        Assert.Equal(2, result.InvocationCount);
        // Each invocation's attempt was cancelled: only the START is recorded, no failure, no retry.
        Assert.Equal([HistoryEventTypes.StepStarted], Corpus.Events(result, "cancelled-step"));
        Assert.Equal(["Step cancelled-step Started", "Wait after-cancel Succeeded"], Corpus.Shape(result));
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
