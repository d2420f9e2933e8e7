using Durably.Protocol;

namespace Durably.Engine.Tests;

public sealed class CheckpointTokenTests
{
    private static async Task<DurableServiceException> CheckpointFailsAsync(IDurableExecutionClient client, string arn, string token, string? clientToken = null)
    {
        return await Assert.ThrowsAsync<DurableServiceException>(() => client.CheckpointAsync(new CheckpointDurableExecutionRequest
        {
            DurableExecutionArn = arn,
            CheckpointToken = token,
            ClientToken = clientToken,
            Updates = [Updates.StepSucceed("late")],
        }));
    }

    private static void AssertInvalidToken(DurableServiceException error)
    {
        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.StartsWith("Invalid Checkpoint Token", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsInvalidCheckpointToken);
    }

    [Fact]
    public async Task ConsumedToken_IsRejectedWithTheExactPrefix()
    {
        await using var harness = new EngineHarness();
        DurableServiceException? error = null;
        harness.Register(async invocation =>
        {
            string first = invocation.Token;
            await invocation.CheckpointAsync(Updates.StepSucceed("s1"));
            error = await CheckpointFailsAsync(invocation.Client, invocation.Input.DurableExecutionArn, first);
            return EngineHarness.Succeeded();
        });

        string arn = await harness.StartAsync();

        AssertInvalidToken(error!);
        Assert.DoesNotContain(await harness.Engine.GetOperationsAsync(arn), o => o.Id == "late");
    }

    [Fact]
    public async Task TokenOfAnEarlierInvocation_IsRejected()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            if (invocation.Find("w1") is null)
            {
                await invocation.CheckpointAsync(Updates.Wait("w1", 1));
                return EngineHarness.Pending();
            }

            return EngineHarness.Pending();
        });
        string arn = await harness.StartAsync();
        string oldToken = harness.Invocations[0].Token;
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        AssertInvalidToken(await CheckpointFailsAsync(harness.Engine, arn, oldToken));
    }

    [Fact]
    public async Task StoppedExecution_AcceptsNoCheckpoint()
    {
        await using var harness = new EngineHarness();
        DurableServiceException? error = null;
        harness.Register(async invocation =>
        {
            await harness.Engine.StopExecutionAsync(invocation.Input.DurableExecutionArn);
            error = await CheckpointFailsAsync(invocation.Client, invocation.Input.DurableExecutionArn, invocation.Token);
            return EngineHarness.Succeeded();
        });

        string arn = await harness.StartAsync();

        AssertInvalidToken(error!);
        Assert.Equal(ExecutionStatus.Stopped, (await harness.DescribeAsync(arn)).Status);
        IReadOnlyList<string> types = await harness.EventTypesAsync(arn);
        Assert.Equal([HistoryEventTypes.ExecutionStarted, HistoryEventTypes.InvocationCompleted, HistoryEventTypes.ExecutionStopped], types);
    }

    [Fact]
    public async Task UnknownExecution_IsReportedAsInvalidToken()
    {
        await using var harness = new EngineHarness();

        DurableServiceException error = await CheckpointFailsAsync(harness.Engine,
            "arn:aws:lambda:local:000000000000:function:fn:1/durable-execution/x/00000000-0000-0000-0000-000000000000", "abc");

        AssertInvalidToken(error);
    }

    [Fact]
    public async Task RepeatedClientTokenAndCheckpointToken_ReplaysTheResponseWithoutReapplying()
    {
        await using var harness = new EngineHarness();
        CheckpointDurableExecutionResponse? first = null, repeat = null;
        harness.Register(async invocation =>
        {
            var request = new CheckpointDurableExecutionRequest
            {
                DurableExecutionArn = invocation.Input.DurableExecutionArn,
                CheckpointToken = invocation.Token,
                ClientToken = "client-1",
                Updates = [Updates.StepStart("s1"), Updates.StepRetry("s1", 5, new ErrorObject { ErrorMessage = "x" })],
            };
            first = await invocation.Client.CheckpointAsync(request);
            repeat = await invocation.Client.CheckpointAsync(request);
            return EngineHarness.Pending();
        });

        string arn = await harness.StartAsync();

        Assert.Same(first, repeat);
        Assert.Equal(1, (await harness.EventTypesAsync(arn)).Count(t => t == HistoryEventTypes.StepFailed));
        Assert.Equal(1, (await harness.OperationAsync(arn, "s1")).StepDetails!.Attempt);
    }

    [Fact]
    public async Task GetExecutionState_AcceptsAnyTokenOfTheRunningInvocation_AndPages()
    {
        await using var harness = new EngineHarness();
        GetDurableExecutionStateResponse? page1 = null, page2 = null;
        harness.Register(async invocation =>
        {
            string first = invocation.Token;
            await invocation.CheckpointAsync(Updates.StepSucceed("s1"), Updates.StepSucceed("s2"), Updates.StepSucceed("s3"));
            page1 = await invocation.Client.GetExecutionStateAsync(new GetDurableExecutionStateRequest { DurableExecutionArn = invocation.Input.DurableExecutionArn, CheckpointToken = first, MaxItems = 2 });
            page2 = await invocation.Client.GetExecutionStateAsync(new GetDurableExecutionStateRequest { DurableExecutionArn = invocation.Input.DurableExecutionArn, CheckpointToken = invocation.Token, MaxItems = 2, Marker = page1.NextMarker });
            return EngineHarness.Succeeded();
        });

        string arn = await harness.StartAsync();

        Assert.Equal([arn.Split('/')[^1], "s1"], page1!.Operations.Select(o => o.Id));
        Assert.Equal(["s2", "s3"], page2!.Operations.Select(o => o.Id));
        Assert.Null(page2.NextMarker);
    }

    [Fact]
    public async Task CheckpointResponse_CarriesFullRecordsOfTouchedOperations()
    {
        await using var harness = new EngineHarness();
        CheckpointDurableExecutionResponse? response = null;
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(Updates.StepStart("s1", "charge"));
            response = await invocation.CheckpointAsync(Updates.StepSucceed("s1", "42", "charge"));
            return EngineHarness.Succeeded();
        });

        await harness.StartAsync();

        Operation step = Assert.Single(response!.NewExecutionState!.Operations);
        Assert.Equal(OperationStatus.Succeeded, step.Status);
        Assert.Equal("charge", step.Name);
        Assert.Equal("42", step.StepDetails!.Result);
        Assert.Equal(1, step.StepDetails.Attempt);
        Assert.NotNull(step.StartTimestamp);
        Assert.NotNull(step.EndTimestamp);
    }
}
