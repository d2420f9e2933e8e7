using Durably.Protocol;

namespace Durably.Engine.Tests;

public sealed class LimitsTests
{
    private static async Task<(DurableServiceException Error, int EventsBefore, int EventsAfter, IReadOnlyList<Operation> Operations)> RejectAsync(params OperationUpdate[] updates)
    {
        await using var harness = new EngineHarness();
        DurableServiceException? error = null;
        int before = 0;
        harness.Register(async invocation =>
        {
            before = (await harness.HistoryAsync(invocation.Input.DurableExecutionArn)).Count;
            error = await Assert.ThrowsAsync<DurableServiceException>(() => invocation.CheckpointAsync(updates));
            return EngineHarness.Succeeded();
        });
        string arn = await harness.StartAsync();
        IReadOnlyList<HistoryEvent> history = await harness.HistoryAsync(arn);
        return (error!, before, history.Count(e => e.EventType is not HistoryEventTypes.InvocationCompleted and not HistoryEventTypes.ExecutionSucceeded), await harness.Engine.GetOperationsAsync(arn));
    }

    [Fact]
    public async Task PayloadOver256KiB_IsRejectedNamingTheLimit_NothingStored()
    {
        string big = new('x', 262_145);

        var (error, before, after, operations) = await RejectAsync(Updates.StepSucceed("ok"), Updates.StepSucceed("s1", big));

        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains("Payload", error.Message, StringComparison.Ordinal);
        Assert.Contains("262144", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, after);
        Assert.Single(operations);
    }

    [Fact]
    public async Task PayloadOfExactly256KiB_IsAccepted()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(Updates.StepSucceed("s1", new string('x', 262_144)));
            return EngineHarness.Succeeded();
        });

        string arn = await harness.StartAsync();

        Assert.Equal(262_144, (await harness.OperationAsync(arn, "s1")).StepDetails!.Result!.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31_622_401)]
    public async Task WaitSecondsOutOfRange_IsRejected(int seconds)
    {
        var (error, _, _, operations) = await RejectAsync(Updates.Wait("w1", seconds));

        Assert.Contains("WaitOptions.WaitSeconds", error.Message, StringComparison.Ordinal);
        Assert.Contains("31622400", error.Message, StringComparison.Ordinal);
        Assert.Single(operations);
    }

    [Fact]
    public async Task RetryDelayOutOfRange_IsRejected()
    {
        var (error, _, _, _) = await RejectAsync(Updates.StepRetry("s1", 0, new ErrorObject()));

        Assert.Contains("NextAttemptDelaySeconds", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a-very-long-operation-id-that-goes-beyond-the-sixty-four-character-limit")]
    public async Task InvalidOperationId_IsRejected(string id)
    {
        var (error, _, _, _) = await RejectAsync(Updates.StepSucceed(id));

        Assert.Contains("Id", error.Message, StringComparison.Ordinal);
        Assert.Contains("[a-zA-Z0-9-_]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NameWithNonPrintableCharacters_IsRejected()
    {
        var (error, _, _, _) = await RejectAsync(Updates.StepSucceed("s1", name: "tab\there"));

        Assert.Contains("Name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreeThousandOperations_IsTheLimit_NothingOfTheBatchStored()
    {
        await using var harness = new EngineHarness();
        DurableServiceException? error = null;
        harness.Register(async invocation =>
        {
            for (int batch = 0; batch < 15; batch++)
            {
                await invocation.CheckpointAsync([.. Enumerable.Range(batch * 200, 200).Select(i => Updates.StepSucceed("s" + i))]);
            }

            // 1 EXECUTION + 3,000 steps would exceed 3,000 operations: the last batch must be refused whole.
            error = await Assert.ThrowsAsync<DurableServiceException>(() => invocation.CheckpointAsync(Updates.StepSucceed("one-more-a")));
            return EngineHarness.Succeeded();
        });

        string arn = await harness.StartAsync();

        Assert.Contains("3000", error!.Message, StringComparison.Ordinal);
        Assert.Equal(3_001, (await harness.Engine.GetOperationsAsync(arn)).Count);
    }

    [Fact]
    public async Task ClientTokenWithSpaces_IsRejected()
    {
        await using var harness = new EngineHarness();
        DurableServiceException? error = null;
        harness.Register(async invocation =>
        {
            error = await Assert.ThrowsAsync<DurableServiceException>(() => invocation.Client.CheckpointAsync(new CheckpointDurableExecutionRequest
            {
                DurableExecutionArn = invocation.Input.DurableExecutionArn,
                CheckpointToken = invocation.Token,
                ClientToken = "has space",
            }));
            return EngineHarness.Succeeded();
        });

        await harness.StartAsync();

        Assert.Contains("ClientToken", error!.Message, StringComparison.Ordinal);
    }
}
