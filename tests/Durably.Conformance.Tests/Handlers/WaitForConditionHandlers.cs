using System.Text.Json.Nodes;

namespace Durably.Conformance.Handlers;

public static partial class HandlerCatalog
{
    private static IWaitStrategy<int> UntilAtLeast(int threshold, int delaySeconds = 1)
        => WaitStrategy.Fixed<int>(state => state >= threshold, TimeSpan.FromSeconds(delaySeconds));

    private static void RegisterWaitForCondition()
    {
        // 6-1: counter from 0, +1 per check, until it reaches the input threshold.
        Add<int, int>("6-1", async (threshold, ctx) =>
            await ctx.WaitForConditionAsync<int>((state, _, _) => Task.FromResult(state + 1),
                new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = UntilAtLeast(threshold) }));

        // 6-2: initial state 5, unchanged by the check; already satisfied on the first check.
        Add<int, int>("6-2", async (threshold, ctx) =>
            await ctx.WaitForConditionAsync<int>((state, _, _) => Task.FromResult(state),
                new WaitForConditionConfig<int> { InitialState = 5, WaitStrategy = UntilAtLeast(threshold) }));

        // 6-4: initial state 5, +1 per check, until the input threshold (8).
        Add<int, int>("6-4", async (threshold, ctx) =>
            await ctx.WaitForConditionAsync<int>((state, _, _) => Task.FromResult(state + 1),
                new WaitForConditionConfig<int> { InitialState = 5, WaitStrategy = UntilAtLeast(threshold) }));

        // 6-5: fixed 2 s delay, no jitter or backoff.
        Add<int, int>("6-5", async (threshold, ctx) =>
            await ctx.WaitForConditionAsync<int>((state, _, _) => Task.FromResult(state + 1),
                new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = UntilAtLeast(threshold, delaySeconds: 2) }));

        // 6-7: the check throws on its first call; not caught.
        Add<JsonNode?, int>("6-7", async (_, ctx) =>
            await ctx.WaitForConditionAsync<int>((_, _, _) => throw new ConformanceError("check failed"),
                new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = UntilAtLeast(3) }));

        // 6-8: the check throws; the handler catches and returns "recovered".
        Add<JsonNode?, string>("6-8", async (_, ctx) =>
        {
            try
            {
                await ctx.WaitForConditionAsync<int>((_, _, _) => throw new ConformanceError("check failed"),
                    new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = UntilAtLeast(3) });
                return "unexpected";
            }
            catch (WaitForConditionException)
            {
                return "recovered";
            }
        });

        // 6-10: the check returns null; the strategy stops at once.
        Add<JsonNode?, string?>("6-10", async (_, ctx) =>
            await ctx.WaitForConditionAsync<string?>((_, _, _) => Task.FromResult<string?>(null),
                new WaitForConditionConfig<string?> { InitialState = "start", WaitStrategy = WaitStrategy.FromDelegate<string?>((_, _) => WaitDecision.Stop()) }));

        // 6-11: a string state through a custom serdes; "x" appended per check until length 2.
        Add<JsonNode?, string?>("6-11", async (_, ctx) =>
            await ctx.WaitForConditionAsync<string>((state, _, _) => Task.FromResult(state + "x"),
                new WaitForConditionConfig<string>
                {
                    InitialState = "",
                    WaitStrategy = WaitStrategy.Fixed<string>(state => state.Length >= 2, TimeSpan.FromSeconds(1)),
                    Serializer = new TextSerializer(s => s is null ? null : "state:" + s,
                        s => s is null ? null : s.StartsWith("state:", StringComparison.Ordinal) ? s["state:".Length..] : throw new FormatException($"not an encoded state: {s}")),
                }));

        // 6-13: two conditions back to back; the first's result seeds the second.
        Add<JsonNode?, int>("6-13", async (_, ctx) =>
        {
            int first = await ctx.WaitForConditionAsync<int>((state, _, _) => Task.FromResult(state + 1),
                new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = UntilAtLeast(2) });
            return await ctx.WaitForConditionAsync<int>((state, _, _) => Task.FromResult(state + 1),
                new WaitForConditionConfig<int> { InitialState = first, WaitStrategy = UntilAtLeast(4) });
        });
    }
}
