using Microsoft.CodeAnalysis;

namespace Durably.Analyzers.Tests;

public class NonDeterministicApiTests
{
    [Theory]
    [InlineData("DateTime.Now")]
    [InlineData("DateTime.UtcNow")]
    [InlineData("DateTime.Today")]
    [InlineData("DateTimeOffset.Now")]
    [InlineData("DateTimeOffset.UtcNow")]
    [InlineData("Guid.NewGuid()")]
    [InlineData("new Random()")]
    [InlineData("Random.Shared")]
    [InlineData("Environment.TickCount")]
    [InlineData("Environment.TickCount64")]
    [InlineData("System.Diagnostics.Stopwatch.StartNew()")]
    [InlineData("new System.Diagnostics.Stopwatch()")]
    [InlineData("Console.ReadLine()")]
    [InlineData("System.IO.File.ReadAllText(\"x\")")]
    [InlineData("System.IO.Directory.GetFiles(\"x\")")]
    [InlineData("new System.Net.Http.HttpClient().GetStringAsync(\"http://x\")")]
    public async Task ReportsTheApiInAWorkflowBody(string expression)
    {
        await Verify.AnalyzerAsync($$"""
            class Workflow
            {
                async Task<object> RunAsync(string input, IDurableContext context)
                {
                    await context.WaitAsync(TimeSpan.FromSeconds(1));
                    return {|DURABLY001:{{expression}}|};
                }
            }
            """);
    }

    [Theory]
    [InlineData("Task.Delay(1000)")]
    [InlineData("Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)")]
    public async Task ReportsTaskDelayAndSuggestsWaitAsync(string delay)
    {
        await Verify.AnalyzerAsync(
            $$"""
            class Workflow
            {
                async Task RunAsync(IDurableContext context)
                {
                    await {|#0:{{delay}}|};
                }
            }
            """,
            Verify.Diagnostic("DURABLY001").WithLocation(0).WithArguments(
                "Task.Delay",
                "does not wait durably and keeps the invocation running: use context.WaitAsync, which suspends the execution"));
    }

    [Fact]
    public async Task ReportsThreadSleep()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                Task RunAsync(IDurableContext context)
                {
                    {|DURABLY001:Thread.Sleep(10)|};
                    return Task.CompletedTask;
                }
            }
            """);
    }

    [Fact]
    public async Task IsQuietInsideStepsSubmittersAndChecks()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                async Task RunAsync(IDurableContext context)
                {
                    var now = await context.StepAsync((_, _) => Task.FromResult(DateTime.UtcNow), "now");
                    await context.StepAsync(async (_, ct) => await Task.Delay(10, ct));
                    await context.WaitForCallbackAsync<string>((id, _, _) => Task.FromResult(Guid.NewGuid()));
                    await context.WaitForConditionAsync(
                        (state, _, _) => Task.FromResult(state + Environment.TickCount),
                        new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = WaitStrategy.FromDelegate<int>((s, _) => WaitDecision.Stop()) });
                }
            }
            """);
    }

    [Fact]
    public async Task IsQuietOutsideWorkflowCode()
    {
        await Verify.AnalyzerAsync("""
            class Service
            {
                DateTime Now() => DateTime.UtcNow;
                async Task PauseAsync() => await Task.Delay(10);
            }
            """);
    }

    [Fact]
    public async Task FollowsLocalFunctionsAndPrivateMethodsCalledFromTheWorkflow()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                async Task<string> RunAsync(IDurableContext context)
                {
                    await context.WaitAsync(TimeSpan.FromSeconds(1));
                    return Stamp() + Label();

                    string Stamp() => {|DURABLY001:DateTime.UtcNow|}.ToString("O");
                }

                private string Label() => {|DURABLY001:Guid.NewGuid()|}.ToString();
            }
            """);
    }

    [Fact]
    public async Task HelpersCalledOnlyFromStepsAreStepCode()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                async Task<string> RunAsync(IDurableContext context)
                {
                    var a = await context.StepAsync((_, _) => Task.FromResult(Stamp()));
                    return a + await context.StepAsync((_, _) => Task.FromResult(Label()));

                    string Stamp() => DateTime.UtcNow.ToString("O");
                }

                private string Label() => Guid.NewGuid().ToString();

                public string PublicHelper() => Guid.NewGuid().ToString();
            }
            """);
    }

    [Fact]
    public async Task FollowsNonDurableLambdasInsideTheWorkflow()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                async Task<int> RunAsync(IDurableContext context)
                {
                    await context.WaitAsync(TimeSpan.FromSeconds(1));
                    return new[] { 1, 2 }.Select(i => i + {|DURABLY001:Environment.TickCount|}).Sum();
                }
            }
            """);
    }

    [Fact]
    public async Task ChecksRegistrationLambdasInTopLevelStatements()
    {
        await Verify.AnalyzerAsync(
            """
            AddFunction<string, string>("greet", async (name, context) =>
            {
                await context.WaitAsync(TimeSpan.FromSeconds(1));
                return name + {|DURABLY001:DateTime.Now|};
            });

            static void AddFunction<TInput, TOutput>(string name, Func<TInput, IDurableContext, Task<TOutput>> handler)
            {
            }
            """,
            OutputKind.ConsoleApplication);
    }

    [Fact]
    public async Task ChecksParallelBranchesAndMapItemsButNotMethodGroupSteps()
    {
        await Verify.AnalyzerAsync("""
            class Workflow
            {
                async Task RunAsync(IDurableContext context, IReadOnlyList<int> items)
                {
                    await context.ParallelAsync(new Func<IDurableContext, CancellationToken, Task<int>>[]
                    {
                        async (branch, _) => { await branch.WaitAsync(TimeSpan.FromSeconds(1)); return {|DURABLY001:Environment.TickCount|}; },
                    });
                    await context.MapAsync(items, async (child, item, index, _) =>
                    {
                        await child.WaitAsync(TimeSpan.FromSeconds(1));
                        return item + {|DURABLY001:Random.Shared|}.Next();
                    });
                    await context.StepAsync(ReadClockAsync, "clock");
                }

                private static Task<DateTime> ReadClockAsync(IStepContext step, CancellationToken cancellationToken) =>
                    Task.FromResult(DateTime.UtcNow);
            }
            """);
    }
}
