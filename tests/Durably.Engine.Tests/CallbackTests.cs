using Durably.Protocol;

namespace Durably.Engine.Tests;

public sealed class CallbackTests
{
    private static async Task<(EngineHarness Harness, string Arn, string CallbackId)> StartWithCallbackAsync(int timeout = 0, int heartbeat = 0)
    {
        var harness = new EngineHarness();
        string? callbackId = null;
        harness.Register(async invocation =>
        {
            Operation? callback = invocation.Find("cb");
            if (callback is null)
            {
                CheckpointDurableExecutionResponse response = await invocation.CheckpointAsync(Updates.Callback("cb", timeout, heartbeat, "approval"));
                callbackId = response.NewExecutionState!.Operations.Single(o => o.Id == "cb").CallbackDetails!.CallbackId;
                return EngineHarness.Pending();
            }

            return callback.Status == OperationStatus.Succeeded
                ? EngineHarness.Succeeded(callback.CallbackDetails!.Result)
                : new DurableExecutionInvocationOutput { Status = InvocationStatus.Failed, Error = callback.CallbackDetails!.Error };
        });
        string arn = await harness.StartAsync();
        return (harness, arn, callbackId!);
    }

    [Fact]
    public async Task Start_MintsAnUnguessableCallbackId_RecordedInHistory()
    {
        (EngineHarness harness, string arn, string callbackId) = await StartWithCallbackAsync(timeout: 60, heartbeat: 10);
        await using EngineHarness scope = harness;

        Assert.Matches("^[A-Za-z0-9]{32,}$", callbackId);
        HistoryEvent started = (await harness.HistoryAsync(arn)).Single(e => e.EventType == HistoryEventTypes.CallbackStarted);
        Assert.Equal(callbackId, started.Details.CallbackId);
        Assert.Equal((60, 10), (started.Details.Timeout, started.Details.HeartbeatTimeout));
        Assert.Equal(("approval", "Callback"), (started.Name, started.SubType));
    }

    [Fact]
    public async Task Success_StoresTheBodyVerbatimAndReinvokes()
    {
        (EngineHarness harness, string arn, string callbackId) = await StartWithCallbackAsync();
        await using EngineHarness scope = harness;

        await harness.Engine.SendCallbackSuccessAsync(callbackId, "\"abc\"");
        await harness.IdleAsync();

        DurableExecutionDescription execution = await harness.DescribeAsync(arn);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal("\"abc\"", execution.Result);
        HistoryEvent succeeded = (await harness.HistoryAsync(arn)).Single(e => e.EventType == HistoryEventTypes.CallbackSucceeded);
        Assert.Equal("\"abc\"", succeeded.Details.Result!.Payload);
    }

    [Fact]
    public async Task Failure_FailsTheCallbackWithTheError()
    {
        (EngineHarness harness, string arn, string callbackId) = await StartWithCallbackAsync();
        await using EngineHarness scope = harness;

        await harness.Engine.SendCallbackFailureAsync(callbackId, new ErrorObject { ErrorType = "Rejected", ErrorMessage = "no" });
        await harness.IdleAsync();

        Assert.Equal(OperationStatus.Failed, (await harness.OperationAsync(arn, "cb")).Status);
        Assert.Equal("Rejected", (await harness.DescribeAsync(arn)).Error!.ErrorType);
    }

    [Fact]
    public async Task SecondAnswer_IsCallbackTimeoutException400()
    {
        (EngineHarness harness, _, string callbackId) = await StartWithCallbackAsync();
        await using EngineHarness scope = harness;
        await harness.Engine.SendCallbackSuccessAsync(callbackId, "1");

        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(() => harness.Engine.SendCallbackFailureAsync(callbackId, null));
        DurableServiceException heartbeat = await Assert.ThrowsAsync<DurableServiceException>(() => harness.Engine.SendCallbackHeartbeatAsync(callbackId));

        Assert.Equal((ServiceErrorCodes.CallbackTimeout, 400), (error.ErrorCode, error.StatusCode));
        Assert.Equal(ServiceErrorCodes.CallbackTimeout, heartbeat.ErrorCode);
    }

    [Fact]
    public async Task UnknownCallbackId_IsResourceNotFound404()
    {
        await using var harness = new EngineHarness();

        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(() => harness.Engine.SendCallbackSuccessAsync("AAAAbbbbCCCCddddEEEEffffGGGGhhhh", "1"));

        Assert.Equal((ServiceErrorCodes.ResourceNotFound, 404), (error.ErrorCode, error.StatusCode));
    }

    [Fact]
    public async Task Timeout_TimesOutWithCallbackTimeoutErrorType()
    {
        (EngineHarness harness, string arn, _) = await StartWithCallbackAsync(timeout: 60);
        await using EngineHarness scope = harness;

        await harness.AdvanceAsync(TimeSpan.FromSeconds(60));

        Operation callback = await harness.OperationAsync(arn, "cb");
        Assert.Equal(OperationStatus.TimedOut, callback.Status);
        Assert.Equal("Callback.Timeout", callback.CallbackDetails!.Error!.ErrorType);
        IReadOnlyList<HistoryEvent> history = await harness.HistoryAsync(arn);
        Assert.Equal(
            [HistoryEventTypes.ExecutionStarted, HistoryEventTypes.CallbackStarted, HistoryEventTypes.InvocationCompleted, HistoryEventTypes.CallbackTimedOut,
             HistoryEventTypes.InvocationCompleted, HistoryEventTypes.ExecutionFailed],
            history.Select(e => e.EventType));
        Assert.Equal("Callback.Timeout", history[3].Details.Error!.Payload!.ErrorType);
    }

    [Fact]
    public async Task Heartbeat_PushesTheHeartbeatDeadline_WithoutAHistoryEvent()
    {
        (EngineHarness harness, string arn, string callbackId) = await StartWithCallbackAsync(heartbeat: 10);
        await using EngineHarness scope = harness;
        int eventsBefore = (await harness.HistoryAsync(arn)).Count;

        await harness.AdvanceAsync(TimeSpan.FromSeconds(8));
        await harness.Engine.SendCallbackHeartbeatAsync(callbackId);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(8));

        Assert.Equal(OperationStatus.Started, (await harness.OperationAsync(arn, "cb")).Status);
        Assert.Equal(eventsBefore, (await harness.HistoryAsync(arn)).Count);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(2));
        Operation callback = await harness.OperationAsync(arn, "cb");
        Assert.Equal(OperationStatus.TimedOut, callback.Status);
        Assert.Equal("Callback.Heartbeat", callback.CallbackDetails!.Error!.ErrorType);
    }

    [Fact]
    public async Task ClosedExecution_CallbackAnswerIsCallbackTimeoutException()
    {
        (EngineHarness harness, string arn, string callbackId) = await StartWithCallbackAsync();
        await using EngineHarness scope = harness;
        await harness.Engine.StopExecutionAsync(arn);

        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(() => harness.Engine.SendCallbackSuccessAsync(callbackId, "1"));

        Assert.Equal(ServiceErrorCodes.CallbackTimeout, error.ErrorCode);
    }
}
