namespace Durably.OtelConformance;

/// <summary>
/// The C# handlers of the OTel conformance scenarios, one per <c>scenario</c> input, written from each
/// file's expected history (operation names and outcomes).
/// </summary>
public static class OtelHandlers
{
    /// <summary>A retry after one failed attempt, with a back-off long enough for the invocation to suspend.</summary>
    private static readonly StepConfig RetryOnce = new()
    {
        RetryStrategy = RetryStrategy.FromDelegate((_, attempt) => attempt < 2 ? RetryDecision.RetryAfter(TimeSpan.FromSeconds(5)) : RetryDecision.DoNotRetry()),
    };

    private static readonly StepConfig NoRetry = new() { RetryStrategy = RetryStrategy.None };

    /// <summary>The handlers by scenario name; scenarios without one are known failures.</summary>
    public static IReadOnlyDictionary<string, Func<IDurableContext, Task<string>>> ByScenario { get; } =
        new Dictionary<string, Func<IDurableContext, Task<string>>>
        {
            ["success"] = context => context.StepAsync((_, _) => Task.FromResult("ok"), "otel-success"),
            ["wait-resume"] = async context =>
            {
                await context.WaitAsync(TimeSpan.FromSeconds(5), "otel-wait");
                return await context.StepAsync((_, _) => Task.FromResult("resumed"), "otel-after-resume");
            },
            ["retry"] = context => context.StepAsync((step, _) => step.AttemptNumber < 2
                ? throw new InvalidOperationException("first attempt fails")
                : Task.FromResult("recovered"), "otel-retry", RetryOnce),
            ["terminal-failure"] = context => context.StepAsync<string>(
                (_, _) => throw new InvalidOperationException("terminal failure"), "otel-terminal-failure", NoRetry),
            ["handled-failure"] = async context =>
            {
                try
                {
                    await context.StepAsync<string>((_, _) => throw new InvalidOperationException("handled failure"), "otel-handled-failure", NoRetry);
                }
                catch (StepException)
                {
                    // Handled: the workflow recovers with another step.
                }

                return await context.StepAsync((_, _) => Task.FromResult("recovered"), "otel-recovery-step");
            },
            ["execution-failure"] = _ => throw new InvalidOperationException("the handler fails"),
        };

    /// <summary>Dispatches on the input's <c>scenario</c>.</summary>
    public static Task<string> RunAsync(Dictionary<string, string> input, IDurableContext context) =>
        ByScenario[input["scenario"]](context);
}
