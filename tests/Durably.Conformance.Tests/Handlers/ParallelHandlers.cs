using System.Text.Json.Nodes;

namespace Durably.Conformance.Handlers;

public static partial class HandlerCatalog
{
    private static Func<IDurableContext, CancellationToken, Task<T>> Returns<T>(T value) => (_, _) => Task.FromResult(value);

    private static Func<IDurableContext, CancellationToken, Task<string>> Throws(string message)
        => (_, _) => throw new ConformanceError(message);

    private static ParallelConfig Sequential(CompletionConfig? completion = null)
        => new() { MaxConcurrency = 1, CompletionConfig = completion ?? CompletionConfig.AllSuccessful() };

    private static void RegisterParallel()
    {
        // 8-1: two branches, each a step returning "task-1" / "task-2".
        Add<JsonNode?, IReadOnlyList<string>>("8-1", async (_, ctx) =>
        {
            IBatchResult<string> result = await ctx.ParallelAsync<string>(
            [
                async (branch, _) => await branch.StepAsync((_, _) => Task.FromResult("task-1")),
                async (branch, _) => await branch.StepAsync((_, _) => Task.FromResult("task-2")),
            ], "parallel", Sequential());
            return result.GetResults();
        });

        // 8-2: no operation name; branches return constants directly.
        Add<JsonNode?, IReadOnlyList<string>>("8-2", async (_, ctx) =>
            (await ctx.ParallelAsync<string>([Returns("alpha"), Returns("beta")], config: Sequential())).GetResults());

        // 8-4: heterogeneous branch results.
        Add<JsonNode?, IReadOnlyList<JsonNode?>>("8-4", async (_, ctx) =>
            (await ctx.ParallelAsync<JsonNode?>(
            [
                Returns<JsonNode?>(JsonValue.Create("hello")),
                Returns<JsonNode?>(JsonValue.Create(42)),
                Returns<JsonNode?>(new JsonObject { ["k"] = "v" }),
            ], "hetero", Sequential())).GetResults());

        // 8-5: no branches.
        Add<JsonNode?, IReadOnlyList<string>>("8-5", async (_, ctx) =>
            (await ctx.ParallelAsync<string>(Array.Empty<Func<IDurableContext, CancellationToken, Task<string>>>(), "empty")).GetResults());

        // 8-7: fail fast (tolerated failure count 0); branch 0 fails; ThrowIfError rethrows.
        Add<JsonNode?, IReadOnlyList<string>>("8-7", async (_, ctx) =>
        {
            IBatchResult<string> result = await ctx.ParallelAsync<string>([Throws("branch 0 failed"), Returns("never")], "throwing",
                Sequential(new CompletionConfig { ToleratedFailureCount = 0 }));
            result.ThrowIfError();
            return result.GetResults();
        });

        // 8-8: min successful 2 of 4.
        Add<JsonNode?, JsonObject>("8-8", async (_, ctx) =>
            Projection(await ctx.ParallelAsync<string>([Returns("b0"), Returns("b1"), Returns("b2"), Returns("b3")], "min-successful",
                Sequential(new CompletionConfig { MinSuccessful = 2 })), status: false, failureCount: false));

        // 8-10: tolerated failure count 1; branches 0 and 1 fail.
        Add<JsonNode?, JsonObject>("8-10", async (_, ctx) =>
            Projection(await ctx.ParallelAsync<string>([Throws("b0 failed"), Throws("b1 failed"), Returns("b2")], "tolerated-exceeded",
                Sequential(new CompletionConfig { ToleratedFailureCount = 1 })), status: false));

        // 8-11: max concurrency 2; results in index order.
        Add<JsonNode?, IReadOnlyList<string>>("8-11", async (_, ctx) =>
            (await ctx.ParallelAsync<string>([Returns("r0"), Returns("r1"), Returns("r2")], "concurrent",
                new ParallelConfig { MaxConcurrency = 2 })).GetResults());

        // 8-13: tolerated failure percentage 25 of 4 (the requirement's percentage; the SDK takes AWS's ratio, 0.25); branches 0 and 1 fail.
        Add<JsonNode?, JsonObject>("8-13", async (_, ctx) =>
            Projection(await ctx.ParallelAsync<string>([Throws("b0 failed"), Throws("b1 failed"), Returns("b2"), Returns("b3")], "tolerated-pct",
                Sequential(new CompletionConfig { ToleratedFailurePercentage = 25 / 100.0 })), status: false));

        // 8-14: branch 0 a step, branch 1 a 2 s wait; replay skips branch 0.
        Add<JsonNode?, IReadOnlyList<string>>("8-14", async (_, ctx) =>
            (await ctx.ParallelAsync<string>(
            [
                async (branch, _) => await branch.StepAsync((_, _) => Task.FromResult("b0")),
                async (branch, _) =>
                {
                    await branch.WaitAsync(TimeSpan.FromSeconds(2));
                    return "b1";
                },
            ], "replay", Sequential())).GetResults());

        // 8-16: every branch fails; tolerated failure count 3.
        Add<JsonNode?, JsonObject>("8-16", async (_, ctx) =>
            Projection(await ctx.ParallelAsync<string>([Throws("b0 failed"), Throws("b1 failed"), Throws("b2 failed")], "all-fail",
                Sequential(new CompletionConfig { ToleratedFailureCount = 3 }))));

        // 8-17: min successful 3, branch 1 fails; no tolerance configured.
        Add<JsonNode?, JsonObject>("8-17", async (_, ctx) =>
            Projection(await ctx.ParallelAsync<string>([Returns("b0"), Throws("b1 failed"), Returns("b2")], "min-not-reached",
                Sequential(new CompletionConfig { MinSuccessful = 3 }))));

        // 8-19: max concurrency 0 is rejected before anything runs.
        Add<JsonNode?, IReadOnlyList<string>>("8-19", async (_, ctx) =>
            (await ctx.ParallelAsync<string>([Returns("b0"), Returns("b1")], "bad-concurrency", new ParallelConfig { MaxConcurrency = 0 })).GetResults());

        // 8-20: accessor projection.
        Add<JsonNode?, JsonObject>("8-20", async (_, ctx) =>
        {
            IBatchResult<string> result = await ctx.ParallelAsync<string>([Returns("b0"), Throws("b1 failed"), Returns("b2")], "accessors",
                Sequential(new CompletionConfig { ToleratedFailureCount = 1 }));
            return new JsonObject
            {
                ["hasFailure"] = result.HasFailure,
                ["successCount"] = result.Succeeded.Count,
                ["failureCount"] = result.Failed.Count,
                ["errorCount"] = result.GetErrors().Count,
            };
        });

        // 8-22: tolerated failure percentage 25 (a ratio of 0.25 for the SDK); exactly 25 % fail: all branches run.
        Add<JsonNode?, JsonObject>("8-22", async (_, ctx) =>
            Projection(await ctx.ParallelAsync<string>([Throws("b0 failed"), Returns("b1"), Returns("b2"), Returns("b3")], "pct-boundary",
                Sequential(new CompletionConfig { ToleratedFailurePercentage = 25 / 100.0 }))));
    }
}
