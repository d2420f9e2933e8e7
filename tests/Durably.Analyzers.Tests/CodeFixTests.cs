namespace Durably.Analyzers.Tests;

public class CodeFixTests
{
    [Fact]
    public async Task TaskDelayBecomesWaitAsync()
    {
        await Verify.CodeFixAsync<WaitAsyncCodeFix>(
            """
            class Workflow
            {
                async Task RunAsync(IDurableContext ctx, CancellationToken token)
                {
                    await {|DURABLY001:Task.Delay(TimeSpan.FromMinutes(5), token)|};
                    await {|DURABLY001:Task.Delay(250)|};
                }
            }
            """,
            """
            class Workflow
            {
                async Task RunAsync(IDurableContext ctx, CancellationToken token)
                {
                    await ctx.WaitAsync(TimeSpan.FromMinutes(5));
                    await ctx.WaitAsync(TimeSpan.FromMilliseconds(250));
                }
            }
            """);
    }

    [Fact]
    public async Task AValueIsReadInANamedStep()
    {
        await Verify.CodeFixAsync<StepCodeFix>(
            """
            class Workflow
            {
                async Task<string> RunAsync(IDurableContext context)
                {
                    var deadline = {|DURABLY001:DateTime.UtcNow|}.AddDays(1);
                    var id = {|DURABLY001:Guid.NewGuid()|};
                    var again = {|DURABLY001:DateTime.UtcNow|};
                    return $"{deadline} {id} {again}";
                }
            }
            """,
            """
            class Workflow
            {
                async Task<string> RunAsync(IDurableContext context)
                {
                    var deadline = (await context.StepAsync((_, _) => Task.FromResult(DateTime.UtcNow), "utc-now")).AddDays(1);
                    var id = await context.StepAsync((_, _) => Task.FromResult(Guid.NewGuid()), "new-guid");
                    var again = await context.StepAsync((_, _) => Task.FromResult(DateTime.UtcNow), "utc-now-2");
                    return $"{deadline} {id} {again}";
                }
            }
            """);
    }

    [Fact]
    public async Task NoStepFixWhereAnAwaitIsNotPossible()
    {
        await Verify.CodeFixAsync<StepCodeFix>(
            """
            class Workflow
            {
                Task<DateTime> RunAsync(IDurableContext context) => Task.FromResult({|DURABLY001:DateTime.UtcNow|});
            }
            """,
            """
            class Workflow
            {
                Task<DateTime> RunAsync(IDurableContext context) => Task.FromResult({|DURABLY001:DateTime.UtcNow|});
            }
            """);
    }
}
