using Durably.Protocol;

namespace Durably.Engine.Tests;

/// <summary>PROTOCOL.md §2.1 rows 1-6.</summary>
public sealed class IdempotentStartTests
{
    private static EngineHarness WaitingHarness()
    {
        var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            if (invocation.Find("w1") is null)
            {
                await invocation.CheckpointAsync(Updates.Wait("w1", 10));
                return EngineHarness.Pending();
            }

            return EngineHarness.Succeeded();
        });
        return harness;
    }

    [Fact]
    public async Task Row1_NoName_NewExecutionWithGeneratedName()
    {
        await using EngineHarness harness = WaitingHarness();

        StartExecutionResult first = await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "1");
        StartExecutionResult second = await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "1");

        Assert.NotEqual(first.DurableExecutionArn, second.DurableExecutionArn);
        Assert.False(second.AlreadyExisted);
    }

    [Fact]
    public async Task Row2_NewName_CreatesExecutionWithThatName()
    {
        await using EngineHarness harness = WaitingHarness();

        StartExecutionResult result = await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "1", "order-1");

        Assert.False(result.AlreadyExisted);
        Assert.Equal("order-1", (await harness.DescribeAsync(result.DurableExecutionArn)).DurableExecutionName);
    }

    [Fact]
    public async Task Row3_RunningSameInput_ReturnsExistingWithoutNewExecution()
    {
        await using EngineHarness harness = WaitingHarness();
        StartExecutionResult first = await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "{\"a\":1}", "order-1");
        await harness.IdleAsync();

        StartExecutionResult again = await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "{\"a\":1}", "order-1");
        await harness.IdleAsync();

        Assert.True(again.AlreadyExisted);
        Assert.Equal(first.DurableExecutionArn, again.DurableExecutionArn);
        Assert.Single(harness.Invocations);
    }

    [Fact]
    public async Task Row4_RunningDifferentInput_AlreadyStarted409_EvenWhenOnlyWhitespaceDiffers()
    {
        await using EngineHarness harness = WaitingHarness();
        await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "{\"a\":1}", "order-1");

        DurableExecutionAlreadyStartedException error = await Assert.ThrowsAsync<DurableExecutionAlreadyStartedException>(() =>
            harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "{\"a\": 1}", "order-1"));

        Assert.Equal(409, error.StatusCode);
    }

    [Fact]
    public async Task Row5_ClosedSameInput_ReturnsExisting()
    {
        await using EngineHarness harness = WaitingHarness();
        string arn = (await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "1", "order-1")).DurableExecutionArn;
        await harness.IdleAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ExecutionStatus.Succeeded, (await harness.DescribeAsync(arn)).Status);

        StartExecutionResult again = await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "1", "order-1");

        Assert.True(again.AlreadyExisted);
        Assert.Equal(arn, again.DurableExecutionArn);
    }

    [Fact]
    public async Task Row6_ClosedDifferentInput_AlreadyStarted_UntilRetentionEnds()
    {
        await using EngineHarness harness = WaitingHarness();
        string arn = (await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "1", "order-1")).DurableExecutionArn;
        await harness.IdleAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<DurableExecutionAlreadyStartedException>(() => harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "2", "order-1"));
        harness.Time.Advance(TimeSpan.FromDays(14));
        StartExecutionResult reused = await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "2", "order-1");

        Assert.False(reused.AlreadyExisted);
        Assert.NotEqual(arn, reused.DurableExecutionArn);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    [InlineData("a-name-that-is-far-too-long-for-an-execution-name-because-it-exceeds-64")]
    public async Task InvalidName_InvalidParameter_NothingStored(string name)
    {
        await using EngineHarness harness = WaitingHarness();

        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(() => harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "1", name));

        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Contains("DurableExecutionName", error.Message, StringComparison.Ordinal);
        Assert.Empty((await harness.Engine.ListExecutionsAsync(new ListDurableExecutionsRequest { FunctionName = EngineHarness.FunctionName })).DurableExecutions);
    }
}
