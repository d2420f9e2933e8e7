using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Durably.Conformance.Handlers;

public static partial class HandlerCatalog
{
    private static void RegisterStep()
    {
        // 1-1: a single step that greets the input.
        Add<string, string>("1-1", async (input, ctx) =>
            await ctx.StepAsync((_, _) => Task.FromResult($"Hello, {input}!")));

        // 1-2: the same with an explicit step name.
        Add<string, string>("1-2", async (input, ctx) =>
            await ctx.StepAsync((_, _) => Task.FromResult($"Hello, {input}!"), "custom_step_name"));

        // 1-4: a step returning a nested object with arrays and mixed types.
        Add<JsonNode?, JsonNode?>("1-4", async (input, ctx) =>
            await ctx.StepAsync<JsonNode?>((_, _) =>
            {
                var tags = input?["tags"]?.AsArray() ?? [];
                return Task.FromResult<JsonNode?>(new JsonObject
                {
                    ["user"] = new JsonObject { ["name"] = input?["name"]?.DeepClone(), ["tags"] = tags.DeepClone() },
                    ["count"] = tags.Count,
                });
            }));

        // 1-5: a step returning null.
        Add<JsonNode?, string?>("1-5", async (_, ctx) =>
            await ctx.StepAsync<string?>((_, _) => Task.FromResult<string?>(null)));

        // 1-7 (optional): the step logs through the step context logger.
        Add<string, string>("1-7", async (input, ctx) =>
            await ctx.StepAsync((step, _) =>
            {
                step.Logger.LogInformation("Greeting step started for: {Input}", input);
                string greeting = $"Hello, {input}!";
                step.Logger.LogInformation("Greeting step completed with: {Greeting}", greeting);
                return Task.FromResult(greeting);
            }));

        // 1-8: a step then a wait; replay skips the completed step.
        Add<JsonNode?, string>("1-8", async (_, ctx) =>
        {
            string result = await ctx.StepAsync((_, _) => Task.FromResult("computed"));
            await ctx.WaitAsync(TimeSpan.FromSeconds(2));
            return result;
        });

        // 1-10: a permanently failing step in try/catch, then a wait; replay re-throws the recorded error.
        Add<JsonNode?, string>("1-10", async (_, ctx) =>
        {
            string outcome;
            try
            {
                await ctx.StepAsync<string>((step, _) =>
                {
                    step.Logger.LogInformation("step executed");
                    throw new ConformanceError("step failed permanently");
                }, config: NoRetry);
                outcome = "unexpected success";
            }
            catch (StepException e)
            {
                outcome = $"caught: {e.ErrorMessage}";
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return outcome;
        });

        // 1-11: fails on attempt 1, succeeds on attempt 2 (retry after 1 s).
        Add<JsonNode?, string>("1-11", async (_, ctx) =>
            await ctx.StepAsync((step, _) => step.AttemptNumber < 2
                    ? throw new ConformanceError("unreliable: first attempt fails")
                    : Task.FromResult("Operation succeeded"),
                config: new StepConfig { RetryStrategy = Fixed(maxAttempts: 3, delaySeconds: 1) }));

        // 1-13: fails twice, succeeds on the third attempt, with the default retry strategy.
        Add<JsonNode?, string>("1-13", async (_, ctx) =>
            await ctx.StepAsync((step, _) => step.AttemptNumber < 3
                ? throw new ConformanceError($"attempt {step.AttemptNumber} fails")
                : Task.FromResult("Operation succeeded")));

        // 1-14: fails twice then succeeds; 5 attempts, 2 s initial delay, x3 backoff, no jitter.
        Add<JsonNode?, string>("1-14", async (_, ctx) =>
            await ctx.StepAsync((step, _) => step.AttemptNumber < 3
                    ? throw new ConformanceError($"attempt {step.AttemptNumber} fails")
                    : Task.FromResult("Operation succeeded"),
                config: new StepConfig
                {
                    RetryStrategy = RetryStrategy.Exponential(maxAttempts: 5, initialDelay: TimeSpan.FromSeconds(2),
                        backoffRate: 3, jitter: JitterStrategy.None),
                }));

        // 1-16: the retry strategy refuses to retry TransientError.
        Add<JsonNode?, string>("1-16", async (_, ctx) =>
            await ctx.StepAsync<string>((_, _) => throw new TransientError("transient failure"),
                config: new StepConfig
                {
                    RetryStrategy = RetryStrategy.FromDelegate((e, _) =>
                        e is TransientError || e.InnerException is TransientError || (e as StepException)?.ErrorType?.EndsWith("TransientError", StringComparison.Ordinal) == true
                            ? RetryDecision.DoNotRetry()
                            : RetryDecision.RetryAfter(TimeSpan.FromSeconds(1))),
                }));

        // 1-17: AtMostOncePerRetry, no retry; the step logs the input then the invocation crashes.
        AddCrashAware<string, string>("1-17", async (input, ctx) =>
            await ctx.StepAsync((step, _) =>
            {
                step.Logger.LogInformation("at-most-once step received {Input}", input);
                return InvocationCrash.CrashAsync<string>();
            }, "at_most_once_flaky_step", new StepConfig { Semantics = StepSemantics.AtMostOncePerRetry, RetryStrategy = RetryStrategy.None }));

        // 1-19: a step that always throws, no retries.
        Add<JsonNode?, string>("1-19", async (_, ctx) =>
            await ctx.StepAsync<string>((_, _) => throw new ConformanceError("always fails"), config: NoRetry));

        // 1-20: a failing step caught by user code, then a second step with the fallback value.
        Add<JsonNode?, string>("1-20", async (_, ctx) =>
        {
            string value;
            try
            {
                value = await ctx.StepAsync<string>((_, _) => throw new ConformanceError("primary failed"), config: NoRetry);
            }
            catch (StepException)
            {
                value = "fallback_result";
            }

            string fallback = value;
            return await ctx.StepAsync((_, _) => Task.FromResult(fallback));
        });
    }

    private static void RegisterWait()
    {
        Add<JsonNode?, string>("2-1", async (_, ctx) =>
        {
            await ctx.WaitAsync(TimeSpan.FromSeconds(2));
            return "waited";
        });

        Add<JsonNode?, string>("2-2", async (_, ctx) =>
        {
            await ctx.WaitAsync(TimeSpan.FromSeconds(2), "custom_wait_name");
            return "waited";
        });

        Add<JsonNode?, string>("2-4", async (_, ctx) =>
        {
            await ctx.WaitAsync(TimeSpan.FromMinutes(1));
            return "waited";
        });

        Add<JsonNode?, string>("2-5", async (_, ctx) =>
        {
            await ctx.WaitAsync(TimeSpan.FromHours(1));
            return "waited";
        });
    }
}
