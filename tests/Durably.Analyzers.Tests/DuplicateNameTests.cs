namespace Durably.Analyzers.Tests;

public class DuplicateNameTests
{
    [Fact]
    public async Task ReportsTheSecondOperationWithTheSameNameInOneContext()
    {
        await Verify.AnalyzerAsync(
            """
            class Workflow
            {
                const string Charge = "charge";

                async Task RunAsync(IDurableContext context)
                {
                    await context.StepAsync((_, _) => Task.FromResult(1), "charge");
                    await context.WaitAsync(TimeSpan.FromSeconds(1), name: {|#0:Charge|});
                }
            }
            """,
            Verify.Diagnostic("DURABLY006").WithLocation(0).WithArguments("charge"));
    }

    [Fact]
    public async Task IsQuietForDistinctNamesOtherContextsAndLoops()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                async Task RunAsync(IDurableContext context)
                {
                    await context.StepAsync((_, _) => Task.FromResult(1), "charge");
                    await context.StepAsync((_, _) => Task.FromResult(1), "refund");
                    await context.StepAsync((_, _) => Task.FromResult(1));
                    await context.StepAsync((_, _) => Task.FromResult(1));
                    await context.RunInChildContextAsync(async (child, _) =>
                    {
                        await child.StepAsync((_, _) => Task.FromResult(1), "charge");
                    }, "child");
                    for (var i = 0; i < 3; i++)
                    {
                        await context.WaitAsync(TimeSpan.FromSeconds(1), "pause");
                    }
                }
            }
            """);
    }
}
