namespace Durably.Analyzers.Tests;

public class DurableOperationInStepTests
{
    [Fact]
    public async Task ReportsADurableOperationInsideAStepBody()
    {
        await Verify.AnalyzerAsync(
            """
            class Workflow
            {
                async Task RunAsync(IDurableContext context)
                {
                    await context.StepAsync(async (step, ct) =>
                    {
                        await {|#0:context.WaitAsync(TimeSpan.FromSeconds(1))|};
                        return await {|DURABLY002:context.StepAsync((_, _) => Task.FromResult(1))|};
                    });
                }
            }
            """,
            Verify.Diagnostic("DURABLY002").WithLocation(0).WithArguments("WaitAsync"));
    }

    [Fact]
    public async Task ReportsItInSubmittersAndInHelpersCalledFromSteps()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                async Task RunAsync(IDurableContext context)
                {
                    await context.WaitForCallbackAsync<string>(async (id, _, _) => await {|DURABLY002:context.WaitAsync(TimeSpan.FromSeconds(1))|});
                    await context.StepAsync((_, _) => NotifyAsync(context));
                }

                private Task NotifyAsync(IDurableContext context) => context.WaitAsync(TimeSpan.FromSeconds(1));
            }
            """);
    }

    [Fact]
    public async Task IsQuietInWorkflowBodiesAndChildContexts()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                async Task<int> RunAsync(IDurableContext context)
                {
                    await context.WaitAsync(TimeSpan.FromSeconds(1));
                    return await context.RunInChildContextAsync(async (child, _) =>
                    {
                        await child.WaitAsync(TimeSpan.FromSeconds(1));
                        return await child.StepAsync((_, _) => Task.FromResult(1));
                    });
                }
            }
            """);
    }
}
