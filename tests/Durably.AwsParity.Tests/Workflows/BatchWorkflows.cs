using Durably;

namespace AwsParity.Workflows;

// ParallelAsync and MapAsync as AWS's parallel guide writes them, with CompletionConfig ratios and item errors as exceptions.
public static class BatchWorkflows
{
    /// <summary>Unnamed branches, bounded concurrency, all must succeed.</summary>
    public static async Task<int> SumInParallel(int seed, IDurableContext ctx)
    {
        var result = await ctx.ParallelAsync<int>(
            new Func<IDurableContext, CancellationToken, Task<int>>[]
            {
                (branch, ct) => branch.StepAsync((_, _) => Task.FromResult(seed + 1), name: "one", cancellationToken: ct),
                (branch, ct) => branch.StepAsync((_, _) => Task.FromResult(seed + 2), name: "two", cancellationToken: ct),
                (branch, ct) => branch.StepAsync((_, _) => Task.FromResult(seed + 3), name: "three", cancellationToken: ct),
            },
            name: "sum",
            config: new ParallelConfig { MaxConcurrency = 2 });

        result.ThrowIfError();
        return result.GetResults().Sum();
    }

    /// <summary>Named branches; half may fail (ToleratedFailurePercentage = 0.5, a ratio); errors read as exceptions.</summary>
    public static async Task<string> TolerateHalf(int failing, IDurableContext ctx)
    {
        var branches = Enumerable.Range(0, 4)
            .Select(i => new DurableBranch<string>($"branch-{i}", async (branch, ct) =>
            {
                await Task.Yield();
                return i < failing ? throw new InvalidOperationException($"branch {i} failed") : $"b{i}";
            }))
            .ToList();

        var result = await ctx.ParallelAsync(
            branches,
            name: "tolerant",
            config: new ParallelConfig
            {
                MaxConcurrency = 1,
                CompletionConfig = new CompletionConfig { ToleratedFailurePercentage = 0.5 },
            });

        IBatchResult summary = result;
        var errors = result.GetErrors();
        return $"{summary.CompletionReason} ok={summary.SuccessCount} failed={summary.FailureCount} started={summary.StartedCount} " +
               $"errors=[{string.Join("|", errors.Select(e => e.Message))}]";
    }

    /// <summary>FirstSuccessful: the first branch to succeed completes the batch.</summary>
    public static async Task<string> FirstToSucceed(string input, IDurableContext ctx)
    {
        var result = await ctx.ParallelAsync(
            new[]
            {
                new DurableBranch<string>("fails", (_, _) => throw new InvalidOperationException("no")),
                new DurableBranch<string>("wins", (branch, ct) => branch.StepAsync((_, _) => Task.FromResult(input), name: "win", cancellationToken: ct)),
                new DurableBranch<string>("too-late", (branch, ct) => branch.StepAsync((_, _) => Task.FromResult("late"), name: "late", cancellationToken: ct)),
            },
            name: "race",
            config: new ParallelConfig { MaxConcurrency = 1, CompletionConfig = CompletionConfig.FirstSuccessful() });
        return $"{result.CompletionReason}: {string.Join(",", result.GetResults())} of {result.TotalCount} started";
    }

    /// <summary>Map with AWS's full item signature (context, item, index, items, ct), item names and flat nesting.</summary>
    public static async Task<IReadOnlyList<string>> MapWithItems(IReadOnlyList<string> skus, IDurableContext ctx)
    {
        var result = await ctx.MapAsync<string, string>(
            skus,
            async (itemCtx, sku, index, items, ct) =>
                await itemCtx.StepAsync((_, _) => Task.FromResult($"{index + 1}/{items.Count}:{sku}"), name: $"price-{sku}", cancellationToken: ct),
            name: "price-all",
            config: new MapConfig<string>
            {
                MaxConcurrency = 2,
                ItemNamer = (sku, index) => $"item-{index}-{sku}",
                NestingType = NestingType.Flat,
                CompletionConfig = CompletionConfig.AllCompleted(),
            });
        return result.GetResults();
    }
}
