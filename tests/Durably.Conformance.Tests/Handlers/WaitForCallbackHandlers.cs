using System.Text.Json.Nodes;

namespace Durably.Conformance.Handlers;

public static partial class HandlerCatalog
{
    /// <summary>A submitter that completes without doing anything durable.</summary>
    private static Task NoOpSubmitter(string callbackId, IStepContext step, CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed record Approval(string Status);

    private static void RegisterWaitForCallback()
    {
        // 7-1: wait_for_callback named by the input.
        Add<string, string?>("7-1", async (input, ctx) =>
            await ctx.WaitForCallbackAsync<string>(NoOpSubmitter, input));

        // 7-2: explicit static name "approval".
        Add<JsonNode?, string?>("7-2", async (_, ctx) =>
            await ctx.WaitForCallbackAsync<string>(NoOpSubmitter, "approval"));

        // 7-4: the callback fails; not caught.
        Add<string, string?>("7-4", async (input, ctx) =>
            await ctx.WaitForCallbackAsync<string>(NoOpSubmitter, input));

        // 7-5: a 3 s timeout elapses; not caught.
        Add<string, string?>("7-5", async (input, ctx) =>
            await ctx.WaitForCallbackAsync<string>(NoOpSubmitter, input, new WaitForCallbackConfig { Timeout = TimeSpan.FromSeconds(3) }));

        // 7-7: the submitter always throws; 2 attempts, 1 s apart.
        Add<string, string?>("7-7", async (input, ctx) =>
            await ctx.WaitForCallbackAsync<string>((_, step, _) => throw new ConformanceError($"submitter attempt {step.AttemptNumber} failed"),
                input, new WaitForCallbackConfig { RetryStrategy = Fixed(maxAttempts: 2, delaySeconds: 1) }));

        // 7-8: wait_for_callback inside a child context named "wrapper".
        Add<string, string?>("7-8", async (input, ctx) =>
            await ctx.RunInChildContextAsync(async (child, _) =>
                await child.WaitForCallbackAsync<string>(NoOpSubmitter, input), "wrapper"));

        // 7-10: a 1 s wait, a top-level step, then wait_for_callback.
        Add<string, string?>("7-10", async (input, ctx) =>
        {
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            await ctx.StepAsync((_, _) => Task.FromResult("fixed-data"));
            return await ctx.WaitForCallbackAsync<string>(NoOpSubmitter, input);
        });

        // 7-11: the payload is a JSON object; return its "status" field.
        Add<string, string?>("7-11", async (input, ctx) =>
        {
            Approval? approval = await ctx.WaitForCallbackAsync<Approval>(NoOpSubmitter, input);
            return approval?.Status;
        });

        // 7-13: a 10 s heartbeat timeout; a heartbeat then a success arrive.
        Add<string, string?>("7-13", async (input, ctx) =>
            await ctx.WaitForCallbackAsync<string>(NoOpSubmitter, input, new WaitForCallbackConfig { HeartbeatTimeout = TimeSpan.FromSeconds(10) }));

        // 7-14: a 3 s timeout, caught: returns "timed-out-handled".
        Add<string, string>("7-14", async (input, ctx) =>
        {
            try
            {
                await ctx.WaitForCallbackAsync<string>(NoOpSubmitter, input, new WaitForCallbackConfig { Timeout = TimeSpan.FromSeconds(3) });
                return "unexpected";
            }
            catch (CallbackException)
            {
                return "timed-out-handled";
            }
        });
    }
}
