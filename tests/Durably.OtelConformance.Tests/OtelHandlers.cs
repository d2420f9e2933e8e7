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

    /// <summary>The <c>delay_seconds</c> input of each running execution, by ARN.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Inputs = new();

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
            ["child-context"] = context => context.RunInChildContextAsync(
                (child, _) => child.StepAsync((_, _) => Task.FromResult("child"), "otel-child-step"), "otel-child-context"),
            ["child-context-failure"] = context => context.RunInChildContextAsync<string>(
                (_, _) => throw new InvalidOperationException("the child context fails"), "otel-failed-child-context"),
            ["parallel-hierarchy"] = async context =>
            {
                IBatchResult<string> results = await context.ParallelAsync<string>(
                [
                    new DurableBranch<string>("otel-parallel-branch-a", (branch, _) => branch.StepAsync((_, _) => Task.FromResult("a"), "otel-parallel-step-a")),
                    new DurableBranch<string>("otel-parallel-branch-b", (branch, _) => branch.StepAsync((_, _) => Task.FromResult("b"), "otel-parallel-step-b")),
                ], "otel-parallel");
                return string.Join(",", results.GetResults());
            },
            ["map-hierarchy"] = async context =>
            {
                IBatchResult<string> results = await context.MapAsync<int, string>([0, 1],
                    (item, value, index, _) => item.StepAsync((_, _) => Task.FromResult($"item {value}"), $"otel-map-step-{index}"),
                    "otel-map", new MapConfig<int> { ItemNamer = (_, index) => $"otel-map-iteration-{index}" });
                return string.Join(",", results.GetResults());
            },
            ["wait-for-condition"] = async context =>
            {
                int polls = await context.WaitForConditionAsync<int>((state, _, _) => Task.FromResult(state + 1), new WaitForConditionConfig<int>
                {
                    InitialState = 0,
                    WaitStrategy = WaitStrategy.FromDelegate<int>((state, _) => state < 2 ? WaitDecision.ContinueAfter(TimeSpan.FromSeconds(5)) : WaitDecision.Stop()),
                }, "otel-condition");
                return $"polled {polls} times";
            },
            ["wait-for-condition-failure"] = context => context.WaitForConditionAsync<string>(
                (_, _, _) => throw new InvalidOperationException("the condition check fails"), new WaitForConditionConfig<string>
                {
                    InitialState = "",
                    WaitStrategy = WaitStrategy.FromDelegate<string>((_, _) => WaitDecision.Stop()),
                }, "otel-failed-condition"),
            ["virtual-context"] = context => context.RunInChildContextAsync((_, _) => Task.FromResult("virtual-complete"), "otel-virtual-context",
                new ChildContextConfig { NestingType = NestingType.Flat }),
            ["chained-invoke"] = context => context.InvokeAsync<Dictionary<string, string>, string>(
                OtelScenarioHost.FunctionName, new() { ["scenario"] = "invoke-target" }, "otel-invoke"),
            ["chained-invoke-failure"] = context => context.InvokeAsync<Dictionary<string, string>, string>(
                OtelScenarioHost.FunctionName, new() { ["scenario"] = "invoke-target-failure" }, "otel-failed-invoke"),
            ["long-wait"] = async context =>
            {
                await context.WaitAsync(LongDelay(context), "otel-long-wait");
                return await context.StepAsync((_, _) => Task.FromResult("resumed"), "otel-after-long-wait");
            },
            ["long-retry"] = context =>
            {
                TimeSpan delay = LongDelay(context);
                return context.StepAsync((step, _) => step.AttemptNumber < 2
                    ? throw new InvalidOperationException("first attempt fails")
                    : Task.FromResult("recovered"), "otel-long-retry", new StepConfig
                    {
                        RetryStrategy = RetryStrategy.FromDelegate((_, attempt) => attempt < 2 ? RetryDecision.RetryAfter(delay) : RetryDecision.DoNotRetry()),
                    });
            },
            ["long-chained-invoke"] = context => context.InvokeAsync<Dictionary<string, string>, string>(
                OtelScenarioHost.FunctionName, new() { ["scenario"] = "long-invoke-target", ["delay_seconds"] = Inputs[context.DurableExecutionArn] }, "otel-long-invoke"),
            ["long-invoke-target"] = async context =>
            {
                await context.WaitAsync(LongDelay(context), "otel-long-invoke-target-wait");
                return "target resumed";
            },
            // The callback is answered by the requirement's CallbackActions (OtelScenarioHost).
            ["wait-for-callback"] = context => context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "otel-callback"),
            ["long-callback"] = context => context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "otel-long-callback",
                new WaitForCallbackConfig { Timeout = LongDelay(context) * 10 }),
            ["wait-interrupted"] = async context =>
            {
                await context.WaitAsync(ExecutionTimeout("wait-interrupted") * 2, "otel-interrupted-wait");
                return "never reached: the execution times out during the wait";
            },
            ["step-wait-step"] = async context =>
            {
                // Not one of AWS's scenarios: a step that the second invocation replays (ReplayTests).
                await context.StepAsync((_, _) => Task.FromResult("first"), "before-wait");
                await context.WaitAsync(TimeSpan.FromSeconds(5), "pause");
                return await context.StepAsync((_, _) => Task.FromResult("second"), "after-wait");
            },
            ["virtual-context-replay"] = async context =>
            {
                // Not one of AWS's scenarios: a virtual context that the second invocation runs again (VirtualContextTests).
                string inner = await context.RunInChildContextAsync((child, _) => child.StepAsync((_, _) => Task.FromResult("inner"), "virtual-step"),
                    "virtual-replayed", new ChildContextConfig { NestingType = NestingType.Flat });
                await context.WaitAsync(TimeSpan.FromSeconds(5), "pause");
                return inner;
            },
            ["invoke-target"] = _ => Task.FromResult("invoked"),
            ["invoke-target-failure"] = _ => throw new InvalidOperationException("the invoked function fails"),
        };

    /// <summary>The execution timeout of the function for <paramref name="scenario"/>: a minute where the execution must time out, a week elsewhere.</summary>
    public static TimeSpan ExecutionTimeout(string scenario) => scenario == "wait-interrupted" ? TimeSpan.FromMinutes(1) : TimeSpan.FromDays(7);

    /// <summary>Dispatches on the input's <c>scenario</c>.</summary>
    public static Task<string> RunAsync(Dictionary<string, string> input, IDurableContext context)
    {
        if (input.TryGetValue("delay_seconds", out string? delay))
        {
            Inputs[context.DurableExecutionArn] = delay;
        }

        return ByScenario[input["scenario"]](context);
    }

    private static TimeSpan LongDelay(IDurableContext context) =>
        TimeSpan.FromSeconds(int.Parse(Inputs[context.DurableExecutionArn], System.Globalization.CultureInfo.InvariantCulture));
}
