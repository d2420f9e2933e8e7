using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine.Tests;

public sealed class TimerTests
{
    [Fact]
    public async Task Wait_FiresAtScheduledEnd_ReinvokesOnce_HistoryInServiceOrder()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            if (invocation.Find("w1") is null)
            {
                await invocation.CheckpointAsync(Updates.Wait("w1", 30 * 86_400, "cool-off"));
                return EngineHarness.Pending();
            }

            return EngineHarness.Succeeded();
        }, executionTimeout: TimeSpan.FromDays(60));
        string arn = await harness.StartAsync();
        DateTimeOffset started = harness.Time.GetUtcNow();

        await harness.AdvanceAsync(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        Assert.Single(harness.Invocations);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(2, harness.Invocations.Count);
        Assert.Equal(OperationStatus.Succeeded, harness.Invocations[1].Find("w1")!.Status);
        Assert.Equal(["w1"], harness.Invocations[1].Input.UpdatedOperationIds);
        IReadOnlyList<HistoryEvent> history = await harness.HistoryAsync(arn);
        Assert.Equal(
            [HistoryEventTypes.ExecutionStarted, HistoryEventTypes.WaitStarted, HistoryEventTypes.InvocationCompleted, HistoryEventTypes.WaitSucceeded,
             HistoryEventTypes.InvocationCompleted, HistoryEventTypes.ExecutionSucceeded],
            history.Select(e => e.EventType));
        HistoryEvent waitStarted = history[1];
        Assert.Equal(("w1", "cool-off", "Wait"), (waitStarted.Id, waitStarted.Name, waitStarted.SubType));
        Assert.Equal(30 * 86_400, waitStarted.Details.Duration);
        Assert.Equal(started.AddDays(30), waitStarted.Details.ScheduledEndTimestamp);
        Assert.Equal(30 * 86_400, history[3].Details.Duration);
    }

    [Fact]
    public async Task StepRetry_BecomesReadyWhenDue_AttemptCountsFinishedAttempts()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            Operation? step = invocation.Find("s1");
            if (step is null)
            {
                await invocation.CheckpointAsync(Updates.StepStart("s1"), Updates.StepRetry("s1", 5, new ErrorObject { ErrorType = "E", ErrorMessage = "flaky" }));
                return EngineHarness.Pending();
            }

            CheckpointDurableExecutionResponse started = await invocation.CheckpointAsync(Updates.StepStart("s1"));
            Assert.Equal(1, started.NewExecutionState!.Operations.Single().StepDetails!.Attempt);
            await invocation.CheckpointAsync(Updates.StepSucceed("s1", "\"ok\""));
            return EngineHarness.Succeeded();
        });
        string arn = await harness.StartAsync();

        Operation pending = await harness.OperationAsync(arn, "s1");
        Assert.Equal(OperationStatus.Pending, pending.Status);
        Assert.Equal(harness.Time.GetUtcNow().AddSeconds(5), pending.StepDetails!.NextAttemptTimestamp);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));

        Operation ready = harness.Invocations[1].Find("s1")!;
        Assert.Equal(OperationStatus.Ready, ready.Status);
        Assert.Null(ready.StepDetails!.NextAttemptTimestamp);
        Assert.Equal("flaky", ready.StepDetails.Error!.ErrorMessage);
        IReadOnlyList<HistoryEvent> history = await harness.HistoryAsync(arn);
        HistoryEvent[] steps = [.. history.Where(e => e.Id == "s1")];
        Assert.Equal([HistoryEventTypes.StepStarted, HistoryEventTypes.StepFailed, HistoryEventTypes.StepStarted, HistoryEventTypes.StepSucceeded], steps.Select(e => e.EventType));
        Assert.Equal(new RetryDetails { CurrentAttempt = 1, NextAttemptDelaySeconds = 5 }, steps[1].Details.RetryDetails);
        Assert.Equal("flaky", steps[1].Details.Error!.Payload!.ErrorMessage);
        Assert.Equal(new RetryDetails { CurrentAttempt = 2 }, steps[3].Details.RetryDetails);
        Assert.Equal("\"ok\"", steps[3].Details.Result!.Payload);
    }

    [Fact]
    public async Task RetryWithoutError_IsRecordedAsStepSucceededWithThePolledState()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(Updates.StepStart("s1"), Updates.StepRetry("s1", 3, payload: "{\"n\":1}"));
            return EngineHarness.Pending();
        });

        string arn = await harness.StartAsync();

        HistoryEvent poll = (await harness.HistoryAsync(arn)).Single(e => e.EventType == HistoryEventTypes.StepSucceeded);
        Assert.Equal("{\"n\":1}", poll.Details.Result!.Payload);
        Assert.Equal(new RetryDetails { CurrentAttempt = 1, NextAttemptDelaySeconds = 3 }, poll.Details.RetryDetails);
        Assert.Equal("{\"n\":1}", (await harness.OperationAsync(arn, "s1")).StepDetails!.Result);
    }

    [Fact]
    public async Task SeveralTimersDueTogether_ProduceOneReinvocation()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            if (invocation.Find("w1") is null)
            {
                await invocation.CheckpointAsync(Updates.Wait("w1", 10), Updates.Wait("w2", 10));
            }

            return EngineHarness.Pending();
        });
        await harness.StartAsync();

        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, harness.Invocations.Count);
    }

    [Fact]
    public async Task WaitCancel_CancelsTheWaitAndItsTimer()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(Updates.Wait("w1", 10));
            await invocation.CheckpointAsync(new OperationUpdate { Id = "w1", Type = OperationType.Wait, SubType = "Wait", Action = OperationAction.Cancel });
            return EngineHarness.Succeeded();
        });

        string arn = await harness.StartAsync();

        Assert.Equal(OperationStatus.Cancelled, (await harness.OperationAsync(arn, "w1")).Status);
        Assert.Contains(HistoryEventTypes.WaitCancelled, await harness.EventTypesAsync(arn));
        // Only the retention timer outlives the close.
        Assert.Equal(TimerKind.Retention, Assert.Single(await harness.Engine.GetTimersDueByAsync(DateTimeOffset.MaxValue)).Kind);
    }

    [Fact]
    public async Task TriggerDuringInvocation_IsDeliveredInTheNextCheckpointResponse_AndReinvokesIfStillPending()
    {
        await using var harness = new EngineHarness();
        CheckpointDurableExecutionResponse? poll = null;
        harness.Register(async invocation =>
        {
            if (invocation.Find("cb") is null)
            {
                CheckpointDurableExecutionResponse started = await invocation.CheckpointAsync(Updates.Callback("cb"));
                string callbackId = started.NewExecutionState!.Operations.Single().CallbackDetails!.CallbackId!;
                await harness.Engine.SendCallbackSuccessAsync(callbackId, "\"yes\"");
                poll = await invocation.CheckpointAsync();
                await invocation.CheckpointAsync(Updates.Wait("w1", 100));
            }

            return EngineHarness.Pending();
        });

        await harness.StartAsync();

        Operation delivered = Assert.Single(poll!.NewExecutionState!.Operations);
        Assert.Equal(("cb", OperationStatus.Succeeded, "\"yes\""), (delivered.Id, delivered.Status, delivered.CallbackDetails!.Result));
        Assert.Equal(2, harness.Invocations.Count);
    }
}
