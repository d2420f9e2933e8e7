namespace Durably.Analyzers.Tests;

public class MutableCaptureTests
{
    [Fact]
    public async Task ReportsAWorkflowLocalAssignedInsideAStepAndOutside()
    {
        await Verify.AnalyzerAsync(
            """
            class Workflow
            {
                async Task<int> RunAsync(IDurableContext context)
                {
                    var total = 0;
                    await context.StepAsync((_, _) =>
                    {
                        {|#0:total += 5|};
                        return Task.CompletedTask;
                    });
                    string? id = null;
                    await context.StepAsync((_, _) => { {|DURABLY003:id = "x"|}; return Task.CompletedTask; });
                    return total + id!.Length;
                }
            }
            """,
            Verify.Diagnostic("DURABLY003").WithLocation(0).WithArguments("total"));
    }

    [Fact]
    public async Task ReportsIncrementsAndLocalsOfChildContexts()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                Task<int> RunAsync(IDurableContext context) =>
                    context.RunInChildContextAsync(async (child, _) =>
                    {
                        var attempts = 0;
                        await child.StepAsync((_, _) => Task.FromResult({|DURABLY003:attempts++|}));
                        return attempts;
                    });
            }
            """);
    }

    [Fact]
    public async Task IsQuietForStepLocalsReturnedValuesAndNonWorkflowState()
    {
        await Verify.AnalyzerAsync("""
            class Tests
            {
                async Task<int> RunAsync(IDurableContext context)
                {
                    var total = await context.StepAsync((_, _) =>
                    {
                        var sum = 0;
                        sum += 5;
                        return Task.FromResult(sum);
                    });
                    total += 1;
                    return total;
                }

                Func<IDurableContext, Task> CountBodyRuns()
                {
                    // A test's counter of body runs lives outside the workflow: not workflow state.
                    var runs = 0;
                    return async context =>
                    {
                        runs = 0;
                        await context.StepAsync((_, _) => { runs++; return Task.CompletedTask; });
                    };
                }
            }
            """);
    }
}
