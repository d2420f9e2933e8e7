using System.Text.Json.Nodes;

namespace Durably.Conformance.Handlers;

public static partial class HandlerCatalog
{
    private static MapConfig<T> SequentialMap<T>(CompletionConfig? completion = null)
        => new() { MaxConcurrency = 1, CompletionConfig = completion ?? CompletionConfig.AllSuccessful() };

    private static readonly string[] FourItems = ["i0", "i1", "i2", "i3"];
    private static readonly string[] ThreeItems = ["i0", "i1", "i2"];
    private static readonly string[] XY = ["x", "y"];

    private static void RegisterMap()
    {
        // 9-1: map named "map"; each item runs a step greeting it.
        Add<string[], IReadOnlyList<string>>("9-1", async (items, ctx) =>
            (await ctx.MapAsync<string, string>(items,
                async (item, value, _, _) => await item.StepAsync((_, _) => Task.FromResult($"Hello, {value}!")),
                "map", SequentialMap<string>())).GetResults());

        // 9-2: items-only form; doubles each number directly.
        Add<int[], IReadOnlyList<int>>("9-2", async (items, ctx) =>
            (await ctx.MapAsync<int, int>(items, (_, value, _, _) => Task.FromResult(value * 2), config: SequentialMap<int>())).GetResults());

        // 9-4: no items.
        Add<string[], IReadOnlyList<string>>("9-4", async (items, ctx) =>
            (await ctx.MapAsync<string, string>(items, (_, value, _, _) => Task.FromResult(value), "empty")).GetResults());

        // 9-5: fail fast; item 0 "ok", item 1 throws.
        Add<JsonNode?, JsonObject>("9-5", async (_, ctx) =>
            Projection(await ctx.MapAsync<string, string>(ThreeItems,
                (_, value, index, _) => index == 1 ? throw new ConformanceError($"{value} failed") : Task.FromResult("ok"),
                "failfast", SequentialMap<string>(new CompletionConfig { ToleratedFailureCount = 0 }))));

        // 9-7: min successful 2 of 4.
        Add<JsonNode?, JsonObject>("9-7", async (_, ctx) =>
            Projection(await ctx.MapAsync<string, string>(FourItems, (_, value, _, _) => Task.FromResult($"done-{value}"),
                "min-successful", SequentialMap<string>(new CompletionConfig { MinSuccessful = 2 })), status: false, failureCount: false));

        // 9-8: tolerated failure count 1; item 1 fails, all complete.
        Add<JsonNode?, JsonObject>("9-8", async (_, ctx) =>
            Projection(await ctx.MapAsync<string, string>(ThreeItems,
                (_, value, index, _) => index == 1 ? throw new ConformanceError($"{value} failed") : Task.FromResult($"done-{value}"),
                "tolerated", SequentialMap<string>(new CompletionConfig { ToleratedFailureCount = 1 }))));

        // 9-10: tolerated failure percentage 25 of 4 (the requirement's percentage; the SDK takes AWS's ratio, 0.25); items 0 and 1 fail.
        Add<JsonNode?, JsonObject>("9-10", async (_, ctx) =>
            Projection(await ctx.MapAsync<string, string>(FourItems,
                (_, value, index, _) => index < 2 ? throw new ConformanceError($"{value} failed") : Task.FromResult($"done-{value}"),
                "tolerated-pct", SequentialMap<string>(new CompletionConfig { ToleratedFailurePercentage = 25 / 100.0 })), status: false));

        // 9-11: max concurrency 2; results in index order.
        Add<JsonNode?, IReadOnlyList<string>>("9-11", async (_, ctx) =>
            (await ctx.MapAsync<string, string>(ThreeItems, (_, _, index, _) => Task.FromResult($"r{index}"),
                "concurrent", new MapConfig<string> { MaxConcurrency = 2 })).GetResults());

        // 9-13: an item namer ("item-<item>"); each item * 10.
        Add<int[], IReadOnlyList<int>>("9-13", async (items, ctx) =>
            (await ctx.MapAsync<int, int>(items, (_, value, _, _) => Task.FromResult(value * 10), "named-items",
                new MapConfig<int> { MaxConcurrency = 1, ItemNamer = (item, _) => $"item-{item}" })).GetResults());

        // 9-14: a custom per-item serializer ("wrapped:<value>").
        Add<JsonNode?, IReadOnlyList<string>>("9-14", async (_, ctx) =>
            (await ctx.MapAsync<string, string>(XY, (_, value, _, _) => Task.FromResult(value.ToUpperInvariant()), "serdes",
                new MapConfig<string>
                {
                    MaxConcurrency = 1,
                    ItemSerializer = new TextSerializer(s => s is null ? null : "wrapped:" + s,
                        s => s is null ? null : s.StartsWith("wrapped:", StringComparison.Ordinal) ? s["wrapped:".Length..] : throw new FormatException($"not wrapped: {s}")),
                })).GetResults());

        // 9-16: four ~70 KB results; the aggregate exceeds the checkpoint limit (ReplayChildren).
        Add<JsonNode?, JsonObject>("9-16", async (_, ctx) =>
        {
            IBatchResult<string> result = await ctx.MapAsync<string, string>(FourItems,
                (_, value, index, _) => Task.FromResult(new string((char)('a' + index), 70 * 1024)), "large", SequentialMap<string>());
            return new JsonObject { ["successCount"] = result.SuccessCount, ["totalCount"] = result.TotalCount };
        });

        // 9-17: map then a 1 s wait; replay skips the completed map.
        Add<JsonNode?, IReadOnlyList<string>>("9-17", async (_, ctx) =>
        {
            IBatchResult<string> result = await ctx.MapAsync<string, string>(["a", "b"], (_, value, _, _) => Task.FromResult(value.ToUpperInvariant()),
                "then-wait", SequentialMap<string>());
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return result.GetResults();
        });

        // 9-19: an operation-level serializer for the whole batch result ("OPSERDE:X,Y").
        Add<JsonNode?, IReadOnlyList<string>>("9-19", async (_, ctx) =>
            (await ctx.MapAsync<string, string>(XY, (_, value, _, _) => Task.FromResult(value.ToUpperInvariant()), "op-serde",
                new MapConfig<string> { MaxConcurrency = 1, Serializer = new BatchOpSerializer() })).GetResults());

        // 9-20: the same, then a 1 s wait: replay rebuilds the map result through the custom deserializer.
        Add<JsonNode?, IReadOnlyList<string>>("9-20", async (_, ctx) =>
        {
            IBatchResult<string> result = await ctx.MapAsync<string, string>(XY, (_, value, _, _) => Task.FromResult(value.ToUpperInvariant()),
                "op-serde-replay", new MapConfig<string> { MaxConcurrency = 1, Serializer = new BatchOpSerializer() });
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return result.GetResults();
        });
    }

    /// <summary>9-19/9-20: serializes a batch of strings as "OPSERDE:" + comma-joined results, and back.</summary>
    private sealed class BatchOpSerializer : IDurableSerializer
    {
        private const string Prefix = "OPSERDE:";

        public string? Serialize<T>(T value) => value switch
        {
            null => null,
            IBatchResult<string> batch => Prefix + string.Join(",", batch.GetResults()),
            _ => throw new NotSupportedException($"BatchOpSerializer cannot serialize {typeof(T)}"),
        };

        public T? Deserialize<T>(string? payload)
        {
            if (payload is null)
            {
                return default;
            }

            if (!payload.StartsWith(Prefix, StringComparison.Ordinal))
            {
                throw new FormatException($"not an OPSERDE payload: {payload}");
            }

            string body = payload[Prefix.Length..];
            string[] values = body.Length == 0 ? [] : body.Split(',');
            var batch = new BatchResult<string>(
                values.Select((v, i) => new BatchItem<string>(i, null, BatchItemStatus.Succeeded, v, null)).ToList(),
                CompletionReason.AllCompleted);
            return batch is T typed ? typed : throw new NotSupportedException($"BatchOpSerializer cannot produce {typeof(T)}");
        }
    }
}
