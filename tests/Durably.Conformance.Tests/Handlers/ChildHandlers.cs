using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Durably.Conformance.Handlers;

public static partial class HandlerCatalog
{
    private static void RegisterChild()
    {
        // 3-1: a child context with one step returning the input.
        Add<string, string>("3-1", async (input, ctx) =>
            await ctx.RunInChildContextAsync(async (child, _) =>
                await child.StepAsync((_, _) => Task.FromResult(input))));

        // 3-2: a child context named by input.name whose step returns input.value.
        Add<JsonNode?, string?>("3-2", async (input, ctx) =>
        {
            string name = (string)input!["name"]!;
            string value = (string)input["value"]!;
            return await ctx.RunInChildContextAsync(async (child, _) =>
                await child.StepAsync((_, _) => Task.FromResult(value)), name);
        });

        // 3-4: the inner step fails without retry; the child context fails and so does the execution.
        Add<JsonNode?, string>("3-4", async (_, ctx) =>
            await ctx.RunInChildContextAsync(async (child, _) =>
                await child.StepAsync<string>((_, _) => throw new ConformanceError("inner step failed"), config: NoRetry), "failing-child"));

        // 3-5: the child's failure is caught; a recovery step returns the input.
        Add<string, string>("3-5", async (input, ctx) =>
        {
            try
            {
                await ctx.RunInChildContextAsync(async (child, _) =>
                    await child.StepAsync<string>((_, _) => throw new ConformanceError("inner step failed"), config: NoRetry), "failing-child");
            }
            catch (ChildContextException)
            {
            }

            return await ctx.StepAsync((_, _) => Task.FromResult(input), "recovery");
        });

        // 3-7: the inner step fails once and succeeds on retry.
        Add<string, string>("3-7", async (input, ctx) =>
            await ctx.RunInChildContextAsync(async (child, _) =>
                await child.StepAsync((step, _) => step.AttemptNumber < 2
                        ? throw new ConformanceError("first attempt fails")
                        : Task.FromResult(input),
                    config: new StepConfig { RetryStrategy = Fixed(maxAttempts: 3, delaySeconds: 1) }), "retrying-child"));

        // 3-8: the inner step always fails, maxAttempts = 2; the child context fails.
        Add<JsonNode?, string>("3-8", async (_, ctx) =>
            await ctx.RunInChildContextAsync(async (child, _) =>
                await child.StepAsync<string>((step, _) => throw new ConformanceError($"attempt {step.AttemptNumber} fails"),
                    config: new StepConfig { RetryStrategy = Fixed(maxAttempts: 2, delaySeconds: 1) }), "exhausted-child"));

        // 3-10: a step then a wait inside a child context.
        Add<string, string>("3-10", async (input, ctx) =>
            await ctx.RunInChildContextAsync(async (child, _) =>
            {
                string value = await child.StepAsync((_, _) => Task.FromResult(input));
                await child.WaitAsync(TimeSpan.FromSeconds(1));
                return value;
            }, "step-then-wait"));

        // 3-11: the child's result exceeds the checkpoint limit (ReplayChildren); it logs the input with replay logging on.
        Add<string, int>("3-11", async (input, ctx) =>
        {
            string large = await ctx.RunInChildContextAsync(async (child, _) =>
            {
                child.ConfigureLogger(new LoggerConfig { ModeAware = false });
                child.Logger.LogInformation("child context building a large result for {Input}", input);
                string small = await child.StepAsync((_, _) => Task.FromResult("x"));
                return new string(small[0], 300 * 1024);
            }, "large-child");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return large.Length;
        });

        // 3-13: a child with only a wait, then a step outside the child.
        Add<string, string>("3-13", async (input, ctx) =>
        {
            await ctx.RunInChildContextAsync(async (child, _) =>
            {
                await child.WaitAsync(TimeSpan.FromSeconds(1));
                return input;
            }, "waiting-child");
            return await ctx.StepAsync((_, _) => Task.FromResult(input));
        });

        // 3-14: the child's result goes through a custom serdes that uppercases it.
        Add<string, string?>("3-14", async (input, ctx) =>
            await ctx.RunInChildContextAsync(async (child, _) =>
                    await child.StepAsync((_, _) => Task.FromResult(input)),
                "uppercasing-child",
                new ChildContextConfig { Serializer = new TextSerializer(s => s?.ToUpperInvariant(), s => s) }));

        // 3-16: the child returns null without any durable operation.
        Add<JsonNode?, string?>("3-16", async (_, ctx) =>
            await ctx.RunInChildContextAsync<string?>((_, _) => Task.FromResult<string?>(null), "null-child"));

        // 3-17: the child only logs (replay logging on) and returns the input; a wait follows.
        Add<string, string>("3-17", async (input, ctx) =>
        {
            string value = await ctx.RunInChildContextAsync((child, _) =>
            {
                child.ConfigureLogger(new LoggerConfig { ModeAware = false });
                child.Logger.LogInformation("child context ran for {Input}", input);
                return Task.FromResult(input);
            }, "logging-child");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return value;
        });
    }
}
