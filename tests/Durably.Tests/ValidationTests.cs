using Durably.Protocol;

namespace Durably.Tests;

public sealed class ValidationTests
{
    public static TheoryData<string, Func<IDurableContext, Task>> BadCalls => new()
    {
        { "duration", c => c.WaitAsync(TimeSpan.FromMilliseconds(500)) },
        { "duration", c => c.WaitAsync(TimeSpan.Zero) },
        { "duration", c => c.WaitAsync(TimeSpan.FromDays(400)) },
        { "Timeout", c => c.CreateCallbackAsync<string>(config: new CallbackConfig { Timeout = TimeSpan.FromSeconds(-1) }) },
        { "HeartbeatTimeout", c => c.CreateCallbackAsync<string>(config: new CallbackConfig { HeartbeatTimeout = TimeSpan.FromMilliseconds(10) }) },
        { "name", c => c.StepAsync((_, _) => Task.FromResult(1), name: "") },
        { "name", c => c.StepAsync((_, _) => Task.FromResult(1), name: new string('x', 257)) },
        { "name", c => c.WaitAsync(TimeSpan.FromSeconds(1), name: "tab\tname") },
        { "config.MaxConcurrency", c => c.MapAsync(new[] { 1 }, (_, i, _, _) => Task.FromResult(i), config: new MapConfig<int> { MaxConcurrency = 0 }) },
        { "ToleratedFailurePercentage", c => c.ParallelAsync<int>([(_, _) => Task.FromResult(1)], config: new ParallelConfig { CompletionConfig = new CompletionConfig { ToleratedFailurePercentage = 1.5 } }) },
        { "payload", c => c.InvokeAsync<string, string>("other", new string('x', 300 * 1024)) },
        { "subType", c => c.RunInChildContextAsync((_, _) => Task.FromResult(1), config: new ChildContextConfig { SubType = "has space" }) },
    };

    [Theory]
    [MemberData(nameof(BadCalls))]
    public async Task BadArgument_FailsWithClearExceptionNamingItAndStoresNothing(string argument, Func<IDurableContext, Task> call)
    {
        var client = new FakeExecutionClient("0");
        ArgumentException? caught = null;

        await client.InvokeAsync<int, int>(async (_, context) =>
        {
            try
            {
                await call(context);
            }
            catch (ArgumentException exception)
            {
                caught = exception;
            }

            return 0;
        });

        Assert.NotNull(caught);
        Assert.Equal(argument, caught.ParamName);
        Assert.False(string.IsNullOrWhiteSpace(caught.Message));
        Assert.Empty(client.Updates);
    }

    [Fact]
    public async Task StepAsync_ResultOverPayloadLimit_FailsTheStepWithoutRetrying()
    {
        var client = new FakeExecutionClient("0");
        int attempts = 0;
        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, string>(async (_, context) =>
        {
            try
            {
                await context.StepAsync((_, _) => { attempts++; return Task.FromResult(new string('x', 300 * 1024)); }, "big");
                return "stored";
            }
            catch (StepException exception)
            {
                return exception.ErrorType!;
            }
        });

        Assert.Equal("\"PayloadSizeExceeded\"", output.Result);
        Assert.Equal(1, attempts);
        Assert.DoesNotContain(client.Updates, u => u.Payload?.Length > 256 * 1024);
    }

    [Fact]
    public void RetryStrategy_Default_AllowsSixAttemptsWithCappedBackoff()
    {
        IRetryStrategy strategy = RetryStrategy.Default;
        var error = new InvalidOperationException();

        // 5 s doubling per attempt, capped at 60 s, full jitter: attempt n waits 1 s .. min(5 × 2^(n-1), 60) s.
        int[] ceilings = [5, 10, 20, 40, 60];
        for (int attempt = 1; attempt < 6; attempt++)
        {
            RetryDecision[] decisions = [.. Enumerable.Range(0, 200).Select(_ => strategy.ShouldRetry(error, attempt))];
            int ceiling = ceilings[attempt - 1];
            int previousCeiling = attempt == 1 ? 1 : ceilings[attempt - 2];
            Assert.All(decisions, decision => Assert.True(decision.ShouldRetry));
            Assert.All(decisions, decision => Assert.InRange(decision.Delay.TotalSeconds, 1, ceiling));
            // The delay grows: 200 uniform draws all at or below the previous ceiling have a probability under 10^-35.
            Assert.Contains(decisions, decision => decision.Delay.TotalSeconds > previousCeiling);
        }

        Assert.False(strategy.ShouldRetry(error, 6).ShouldRetry);
    }

    [Fact]
    public void RetryStrategy_Exponential_NoJitterDoublesAndCaps()
    {
        IRetryStrategy strategy = RetryStrategy.Exponential(maxAttempts: 10, initialDelay: TimeSpan.FromSeconds(2), maxDelay: TimeSpan.FromSeconds(10), jitter: JitterStrategy.None);

        Assert.Equal([2, 4, 8, 10, 10], Enumerable.Range(1, 5).Select(a => (int)strategy.ShouldRetry(new Exception(), a).Delay.TotalSeconds));
    }

    [Fact]
    public void RetryStrategy_RetryableFilters_MatchSubclassesAndMessagePatterns()
    {
        IRetryStrategy strategy = RetryStrategy.Exponential(retryableExceptions: [typeof(IOException)], retryableMessagePatterns: ["^throttled"]);

        Assert.True(strategy.ShouldRetry(new FileNotFoundException(), 1).ShouldRetry);
        Assert.True(strategy.ShouldRetry(new InvalidOperationException("throttled by upstream"), 1).ShouldRetry);
        Assert.False(strategy.ShouldRetry(new InvalidOperationException("bad input"), 1).ShouldRetry);
    }

    [Fact]
    public void RetryStrategy_HalfJitter_StaysWithinHalfToFull()
    {
        IRetryStrategy strategy = RetryStrategy.Exponential(maxAttempts: 100, initialDelay: TimeSpan.FromSeconds(20), backoffRate: 1, jitter: JitterStrategy.Half);

        for (int i = 0; i < 200; i++)
        {
            Assert.InRange(strategy.ShouldRetry(new Exception(), 1).Delay.TotalSeconds, 10, 20);
        }
    }
}
