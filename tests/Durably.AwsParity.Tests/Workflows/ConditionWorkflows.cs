using Durably;

namespace AwsParity.Workflows;

// WaitForConditionAsync as AWS's guide writes it: the check receives an IConditionCheckContext; the wait
// strategies take isDone as an optional trailing argument.
public record JobStatus(string JobId, int Progress)
{
    public bool IsComplete => Progress >= 100;
}

public static class ConditionWorkflows
{
    /// <summary>Exponential polling until the job reports completion.</summary>
    public static Task<JobStatus> PollExponential(string jobId, IDurableContext ctx) =>
        ctx.WaitForConditionAsync<JobStatus>(
            async (state, checkCtx, ct) =>
            {
                await Task.Yield();
                ct.ThrowIfCancellationRequested();
                return state with { Progress = state.Progress + (checkCtx.AttemptNumber * 20) };
            },
            new WaitForConditionConfig<JobStatus>
            {
                InitialState = new JobStatus(jobId, 0),
                WaitStrategy = WaitStrategy.Exponential<JobStatus>(maxAttempts: 10, initialDelay: TimeSpan.FromSeconds(5), isDone: s => s.IsComplete),
            },
            name: "wait-for-job");

    /// <summary>Linear polling (5 s, 10 s, …) with a cap.</summary>
    public static Task<int> PollLinear(int target, IDurableContext ctx) =>
        ctx.WaitForConditionAsync<int>(
            (count, _, _) => Task.FromResult(count + 1),
            new WaitForConditionConfig<int>
            {
                InitialState = 0,
                WaitStrategy = WaitStrategy.Linear<int>(maxAttempts: 10, initialDelay: TimeSpan.FromSeconds(5), increment: TimeSpan.FromSeconds(5),
                    maxDelay: TimeSpan.FromSeconds(12), isDone: c => c >= target),
            },
            name: "linear-poll");

    /// <summary>A fixed delay that never sees its condition: the attempts run out, counted.</summary>
    public static async Task<string> GivesUp(int maxAttempts, IDurableContext ctx)
    {
        try
        {
            await ctx.WaitForConditionAsync<int>(
                (count, _, _) => Task.FromResult(count + 1),
                new WaitForConditionConfig<int>
                {
                    InitialState = 0,
                    WaitStrategy = WaitStrategy.Fixed<int>(TimeSpan.FromSeconds(10), maxAttempts: maxAttempts, isDone: _ => false),
                },
                name: "never-ready");
            return "unreachable";
        }
        catch (WaitForConditionException ex)
        {
            return $"gave up after {ex.AttemptsExhausted} checks, last state {ex.LastState}";
        }
    }

    /// <summary>A hand-written strategy implementing AWS's IWaitStrategy.Decide.</summary>
    public static Task<int> CustomStrategy(int target, IDurableContext ctx) =>
        ctx.WaitForConditionAsync<int>(
            (count, _, _) => Task.FromResult(count + 2),
            new WaitForConditionConfig<int> { InitialState = 0, WaitStrategy = new UntilAtLeast(target) },
            name: "custom-poll");

    private sealed class UntilAtLeast(int target) : IWaitStrategy<int>
    {
        public WaitDecision Decide(int state, int attemptNumber) =>
            state >= target ? WaitDecision.Stop() : WaitDecision.ContinueAfter(TimeSpan.FromSeconds(attemptNumber));
    }
}
