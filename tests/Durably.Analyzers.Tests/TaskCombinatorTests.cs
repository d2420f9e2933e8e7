namespace Durably.Analyzers.Tests;

public class TaskCombinatorTests
{
    [Fact]
    public async Task ReportsWhenAllOverDurableOperations()
    {
        await Verify.AnalyzerAsync(
            """
            class Workflow
            {
                async Task RunAsync(IDurableContext context)
                {
                    await {|#0:Task.WhenAll(context.StepAsync((_, _) => Task.FromResult(1)), context.StepAsync((_, _) => Task.FromResult(2)))|};
                }
            }
            """,
            Verify.Diagnostic("DURABLY004").WithLocation(0).WithArguments("WhenAll"));
    }

    [Fact]
    public async Task FollowsLocalsListsAndProjections()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                async Task RunAsync(IDurableContext context, int[] items)
                {
                    var first = context.StepAsync((_, _) => Task.FromResult(1));
                    var second = context.WaitAsync(TimeSpan.FromSeconds(1));
                    await {|DURABLY004:Task.WhenAny(first, second)|};

                    var tasks = new List<Task>();
                    tasks.Add(context.WaitAsync(TimeSpan.FromSeconds(2)));
                    await {|DURABLY004:Task.WhenAll(tasks)|};

                    await {|DURABLY004:Task.WhenAll(items.Select(i => context.StepAsync((_, _) => Task.FromResult(i))))|};
                }
            }
            """);
    }

    [Fact]
    public async Task IsQuietForOrdinaryTasksInsideStepsAndOutsideWorkflows()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                async Task<int[]> RunAsync(IDurableContext context)
                {
                    return await context.StepAsync(async (_, _) => await Task.WhenAll(Task.FromResult(1), Task.FromResult(2)));
                }

                Task Plain() => Task.WhenAll(Task.CompletedTask, Task.Delay(1));
            }
            """);
    }
}
