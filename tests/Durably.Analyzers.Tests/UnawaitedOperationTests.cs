namespace Durably.Analyzers.Tests;

public class UnawaitedOperationTests
{
    [Fact]
    public async Task ReportsDiscardedAndNeverReadOperations()
    {
        await Verify.AnalyzerAsync(
            """
            class Workflow
            {
                Task RunAsync(IDurableContext context)
                {
                    {|#0:context.WaitAsync(TimeSpan.FromSeconds(1))|};
                    _ = {|DURABLY005:context.StepAsync((_, _) => Task.FromResult(1))|};
                    var forgotten = {|DURABLY005:context.WaitAsync(TimeSpan.FromSeconds(2))|};
                    return Task.CompletedTask;
                }
            }
            """,
            Verify.Diagnostic("DURABLY005").WithLocation(0).WithArguments("WaitAsync"));
    }

    [Fact]
    public async Task IsQuietForAwaitedReturnedAndLaterAwaitedOperations()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                async Task<int> RunAsync(IDurableContext context)
                {
                    await context.WaitAsync(TimeSpan.FromSeconds(1));
                    var pending = context.StepAsync((_, _) => Task.FromResult(1));
                    await context.WaitAsync(TimeSpan.FromSeconds(2));
                    return await pending;
                }

                Task<int> Delegate(IDurableContext context) => context.StepAsync((_, _) => Task.FromResult(1));
            }
            """);
    }

    [Fact]
    public async Task ExtensionMethodsOnTheContextAreDurableOperations()
    {
        await Verify.AnalyzerAsync("""
            static class ContextExtensions
            {
                public static Task PauseAsync(this IDurableContext context) => context.WaitAsync(TimeSpan.FromSeconds(1), "pause");
            }

            class Workflow
            {
                Task RunAsync(IDurableContext context)
                {
                    {|DURABLY005:context.PauseAsync()|};
                    return context.PauseAsync();
                }
            }
            """);
    }
}
