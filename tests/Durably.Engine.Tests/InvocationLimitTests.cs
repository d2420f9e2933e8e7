using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Engine.Tests;

/// <summary>
/// <see cref="DurablyOptions.MaxInvocationsPerExecution"/>: an execution whose invocations never end it (a poll
/// without end, a function failing now and then) fails at the limit, which is finite by default.
/// </summary>
public sealed class InvocationLimitTests
{
    [Fact]
    public void Default_IsFinite()
    {
        Assert.Equal(10_000, new DurablyOptions().MaxInvocationsPerExecution);
    }

    [Fact]
    public async Task DefaultLimit_FailsAnExecutionThatPollsForever_NamingTheOption()
    {
        await using var harness = new EngineHarness();
        int invocations = 0;
        harness.Register(async invocation =>
        {
            invocations++;
            // Each attempt of a step that never succeeds is a clean invocation: the failure count never reaches 10.
            await invocation.CheckpointAsync(Updates.StepStart("poll"), Updates.StepRetry("poll", 1, new ErrorObject { ErrorMessage = "not yet" }));
            return EngineHarness.Pending();
        });
        string arn = await harness.StartAsync();

        for (int i = 0; i < 10_010 && (await harness.DescribeAsync(arn)).Status == ExecutionStatus.Running; i++)
        {
            await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        DurableExecutionDescription execution = await harness.DescribeAsync(arn);
        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal(10_000, invocations);
        Assert.Equal("MaxInvocationsExceeded", execution.Error!.ErrorType);
        Assert.Equal("The execution needed more than 10000 invocations, the limit set by DurablyOptions.MaxInvocationsPerExecution.", execution.Error.ErrorMessage);
    }

    [Fact]
    public async Task FailuresBetweenCleanInvocations_CountTowardsTheLimit()
    {
        await using var harness = new EngineHarness(new DurablyOptions { MaxInvocationsPerExecution = 7 });
        int invocations = 0;
        harness.Register(async invocation =>
        {
            invocations++;
            if (invocations % 2 == 1)
            {
                throw new InvalidOperationException("flaky");
            }

            await invocation.CheckpointAsync(Updates.Wait("w" + invocations, 1));
            return EngineHarness.Pending();
        });
        string arn = await harness.StartAsync();

        for (int i = 0; i < 20 && (await harness.DescribeAsync(arn)).Status == ExecutionStatus.Running; i++)
        {
            await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(7, invocations);
        Assert.Equal("MaxInvocationsExceeded", (await harness.DescribeAsync(arn)).Error!.ErrorType);
        Assert.Equal(HistoryEventTypes.ExecutionFailed, (await harness.EventTypesAsync(arn))[^1]);
    }

    [Fact]
    public async Task NoLimit_WhenSetToNull()
    {
        await using var harness = new EngineHarness(new DurablyOptions { MaxInvocationsPerExecution = null });
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(Updates.StepStart("poll"), Updates.StepRetry("poll", 1, new ErrorObject { ErrorMessage = "not yet" }));
            return EngineHarness.Pending();
        });
        string arn = await harness.StartAsync();

        for (int i = 0; i < 50; i++)
        {
            await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(51, harness.Invocations.Count);
        Assert.Equal(ExecutionStatus.Running, (await harness.DescribeAsync(arn)).Status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void NonPositiveLimit_IsRejectedWhenTheEngineIsBuilt(int value)
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new DurableEngine(
            new InMemoryExecutionStore(), new FunctionRegistry(), new FakeTimeProvider(), new DurablyOptions { MaxInvocationsPerExecution = value }));

        Assert.Equal(nameof(DurablyOptions.MaxInvocationsPerExecution), error.ParamName);
        Assert.StartsWith($"DurablyOptions.MaxInvocationsPerExecution must be at least 1; got {value}.", error.Message, StringComparison.Ordinal);
    }
}
