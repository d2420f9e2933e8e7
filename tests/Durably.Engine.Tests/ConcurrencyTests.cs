using Durably.Protocol;

namespace Durably.Engine.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ManyExecutions_WithWaitsAndCallbacksRacingInvocations_AllCompleteWithContiguousHistories()
    {
        await using var harness = new EngineHarness();
        var callbackSends = new System.Collections.Concurrent.ConcurrentBag<Task>();
        harness.Register(async invocation =>
        {
            if (invocation.Find("w1") is null)
            {
                CheckpointDurableExecutionResponse response = await invocation.CheckpointAsync(Updates.StepSucceed("s1"), Updates.Wait("w1", 1), Updates.Callback("cb"));
                string callbackId = response.NewExecutionState!.Operations.Single(o => o.Id == "cb").CallbackDetails!.CallbackId!;
                // Answered while this invocation still runs: delivered in a poll or by a re-invocation.
                callbackSends.Add(Task.Run(() => harness.Engine.SendCallbackSuccessAsync(callbackId, "1")));
                return EngineHarness.Pending();
            }

            bool done = invocation.Find("w1")!.Status == OperationStatus.Succeeded && invocation.Find("cb")!.Status == OperationStatus.Succeeded;
            return done ? EngineHarness.Succeeded() : EngineHarness.Pending();
        });
        const int count = 300;

        string[] arns = await Task.WhenAll(Enumerable.Range(0, count).Select(i => harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "1", "run-" + i)))
            .ContinueWith(t => t.Result.Select(r => r.DurableExecutionArn).ToArray(), TaskScheduler.Default);
        for (int i = 0; i < 5; i++)
        {
            await harness.IdleAsync();
            await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        // The sends run on the thread pool, outside the engine's idle tracking: on a busy machine some
        // land only now, and each one's re-invocation must still finish the execution.
        await Task.WhenAll(callbackSends);
        await harness.IdleAsync();

        foreach (string arn in arns)
        {
            DurableExecutionDescription execution = await harness.DescribeAsync(arn);
            Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
            IReadOnlyList<HistoryEvent> history = await harness.HistoryAsync(arn);
            Assert.Equal(Enumerable.Range(1, history.Count), history.Select(e => e.EventId));
            Assert.Equal(HistoryEventTypes.ExecutionSucceeded, history[^1].EventType);
        }
    }
}
