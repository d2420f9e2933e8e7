namespace Durably.Benchmarks;

/// <summary>The benchmarked workflows.</summary>
internal static class Workflows
{
    public const string StepName = "work";

    /// <summary><paramref name="steps"/> sequential steps, each returning its index.</summary>
    public static async Task<int> SequentialStepsAsync(int steps, IDurableContext context)
    {
        int last = 0;
        for (int i = 1; i <= steps; i++)
        {
            int index = i;
            last = await context.StepAsync((_, _) => Task.FromResult(index), StepName);
        }

        return last;
    }
}
