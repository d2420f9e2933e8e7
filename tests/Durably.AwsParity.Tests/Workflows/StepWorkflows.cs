using Durably;

namespace AwsParity.Workflows;

// Steps with AWS's StepConfig: retry strategies, at-most-once semantics, void steps, exceptions built from messages.
public static class StepWorkflows
{
    /// <summary>Fails twice with a retryable exception, then succeeds; the strategy retries only that type.</summary>
    public static async Task<string> RetriesTransientFailures(int failures, IDurableContext ctx)
    {
        var config = new StepConfig
        {
            RetryStrategy = RetryStrategy.Exponential(
                maxAttempts: 5,
                initialDelay: TimeSpan.FromSeconds(2),
                maxDelay: TimeSpan.FromSeconds(30),
                backoffRate: 2.0,
                jitter: JitterStrategy.None,
                retryableExceptions: new[] { typeof(TimeoutException) }),
        };

        return await ctx.StepAsync(
            async (step, ct) =>
            {
                await Task.Yield();
                if (step.AttemptNumber <= failures)
                {
                    throw new TimeoutException($"attempt {step.AttemptNumber} timed out");
                }

                return $"ok after {step.AttemptNumber} attempts";
            },
            name: "call-flaky-service",
            config: config);
    }

    /// <summary>A non-retryable failure surfaces as a StepException with the original type recorded.</summary>
    public static async Task<string> SurfacesStepException(string input, IDurableContext ctx)
    {
        try
        {
            await ctx.StepAsync(
                (_, _) => throw new InvalidOperationException($"bad input {input}"),
                name: "validate",
                config: new StepConfig { RetryStrategy = RetryStrategy.None, Semantics = StepSemantics.AtMostOncePerRetry });
            return "unreachable";
        }
        catch (StepException ex)
        {
            return $"{ex.ErrorType}: {ex.Message}";
        }
    }

    /// <summary>A void step, a delegate retry strategy, and a domain exception that derives from StepException.</summary>
    public static async Task<string> VoidStepAndDomainException(int limit, IDurableContext ctx)
    {
        await ctx.StepAsync(async (_, ct) => { await Task.Yield(); ct.ThrowIfCancellationRequested(); }, name: "warm-up");

        try
        {
            await ctx.StepAsync<int>(
                (_, _) => throw new QuotaExceededException($"limit {limit} reached"),
                name: "consume-quota",
                config: new StepConfig
                {
                    RetryStrategy = RetryStrategy.FromDelegate((ex, attempt) =>
                        ex is QuotaExceededException && attempt < 2
                            ? RetryDecision.RetryAfter(TimeSpan.FromSeconds(1))
                            : RetryDecision.DoNotRetry()),
                });
            return "unreachable";
        }
        catch (StepException ex)
        {
            return $"{ex.ErrorType} after retry: {ex.ErrorMessage}";
        }
    }

    /// <summary>The execution's ARN from AWS's ExecutionContext, used as an idempotency key inside a step.</summary>
    public static Task<string> UsesExecutionContext(string input, IDurableContext ctx) =>
        ctx.StepAsync(
            (_, _) => Task.FromResult(ctx.ExecutionContext.DurableExecutionArn == ctx.DurableExecutionArn ? $"{input}@arn" : "mismatch"),
            name: "idempotency-key");
}

/// <summary>Unsealed SDK exceptions: a workflow can define its own and construct them from a message.</summary>
public class QuotaExceededException : StepException
{
    public QuotaExceededException(string message) : base(message) { }
}
