using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Durably.JsSdk.Tests;

/// <summary>A failure worth retrying; its type name is the ErrorType recorded, like the JS twin's <c>error.name</c>.</summary>
public sealed class TransientFailure(string message) : Exception(message);

/// <summary>A failure no retry can fix.</summary>
public sealed class PermanentFailure(string message) : Exception(message);

/// <summary>
/// The C# twins of tests/js-sdk-harness/handlers.mjs, written with Durably's SDK: same operation names, order,
/// options and results, so the two histories can be compared. Keep the two files in step.
/// </summary>
public static class CSharpTwins
{
    private static readonly StepConfig NoRetry = new() { RetryStrategy = RetryStrategy.None };

    public sealed record StepsResult(int Sum, string Flaky, string? Caught);

    public static async Task<StepsResult> Steps(JsonNode input, IDurableContext ctx)
    {
        int sum = await ctx.StepAsync((_, _) => Task.FromResult((int)input["a"]! + (int)input["b"]!), "add");
        string flaky = await ctx.StepAsync(
            (step, _) => step.AttemptNumber < 3
                ? throw new TransientFailure($"attempt {step.AttemptNumber} failed")
                : Task.FromResult($"ok on attempt {step.AttemptNumber}"),
            "flaky",
            new StepConfig { RetryStrategy = RetryStrategy.Exponential(maxAttempts: 3, initialDelay: TimeSpan.FromSeconds(1), backoffRate: 2, jitter: JitterStrategy.None) });
        string? caught = null;
        try
        {
            await ctx.StepAsync<int>(
                (_, _) => throw new PermanentFailure("no luck"),
                "always-fails",
                new StepConfig { RetryStrategy = RetryStrategy.Exponential(maxAttempts: 2, initialDelay: TimeSpan.FromSeconds(1), jitter: JitterStrategy.None) });
        }
        catch (StepException error)
        {
            caught = error.ErrorMessage;
        }

        return new StepsResult(sum, flaky, caught);
    }

    public sealed record WaitsResult(string Before, string After);

    public static async Task<WaitsResult> Waits(JsonNode input, IDurableContext ctx)
    {
        string before = await ctx.StepAsync((_, _) => Task.FromResult("before"), "before");
        await ctx.WaitAsync(TimeSpan.FromSeconds(5), "pause");
        await ctx.WaitAsync(TimeSpan.FromSeconds(2));
        string after = await ctx.StepAsync((_, _) => Task.FromResult("after"), "after");
        return new WaitsResult(before, after);
    }

    public sealed record CallbacksResult(JsonNode? Approval, string? Failure);

    public static async Task<CallbacksResult> Callbacks(JsonNode input, IDurableContext ctx)
    {
        ICallback<JsonNode> approval = await ctx.CreateCallbackAsync<JsonNode>(
            "approval", new CallbackConfig { Timeout = TimeSpan.FromMinutes(1), HeartbeatTimeout = TimeSpan.FromSeconds(30) });
        ICallback<JsonNode> rejection = await ctx.CreateCallbackAsync<JsonNode>("rejection", new CallbackConfig { Timeout = TimeSpan.FromMinutes(1) });
        JsonNode approved = await approval.GetResultAsync();
        string? failure = null;
        try
        {
            await rejection.GetResultAsync();
        }
        catch (CallbackFailedException error)
        {
            failure = error.Message;
        }

        return new CallbacksResult(approved, failure);
    }

    public sealed record WaitForCallbackResult(JsonNode? Answer);

    public static async Task<WaitForCallbackResult> WaitForCallback(JsonNode input, IDurableContext ctx)
    {
        JsonNode answer = await ctx.WaitForCallbackAsync<JsonNode>(
            (callbackId, _, _) => string.IsNullOrEmpty(callbackId) ? throw new PermanentFailure("no callback id") : Task.CompletedTask,
            "external-check",
            new WaitForCallbackConfig { Timeout = TimeSpan.FromMinutes(2) });
        return new WaitForCallbackResult(answer);
    }

    public sealed record JobState(int Polls, bool Done);

    public static Task<JobState> WaitForCondition(JsonNode input, IDurableContext ctx) =>
        ctx.WaitForConditionAsync(
            (state, _, _) => Task.FromResult(new JobState(state.Polls + 1, state.Polls + 1 >= 3)),
            new WaitForConditionConfig<JobState>
            {
                InitialState = new JobState(0, false),
                WaitStrategy = WaitStrategy.FromDelegate<JobState>((state, _) => state.Done ? WaitDecision.Stop() : WaitDecision.ContinueAfter(TimeSpan.FromSeconds(1))),
            },
            "poll-job");

    public sealed record ChildResult(int A, int Nested);

    public static Task<ChildResult> ChildContext(JsonNode input, IDurableContext ctx) =>
        ctx.RunInChildContextAsync(async (child, _) =>
        {
            int a = await child.StepAsync((_, _) => Task.FromResult(1), "inner-a");
            await child.WaitAsync(TimeSpan.FromSeconds(1), "inner-wait");
            int nested = await child.RunInChildContextAsync((deep, _) => deep.StepAsync((_, _) => Task.FromResult(a + 1), "deep"), "nested");
            return new ChildResult(a, nested);
        }, "outer");

    public static async Task<JsonObject> Parallel(JsonNode input, IDurableContext ctx)
    {
        IBatchResult<string> batch = await ctx.ParallelAsync<string>(
            [
                new DurableBranch<string>("fast", (branch, _) => branch.StepAsync((_, _) => Task.FromResult("fast"), "fast-step")),
                new DurableBranch<string>("slow", async (branch, _) =>
                {
                    await branch.WaitAsync(TimeSpan.FromSeconds(2), "slow-wait");
                    return await branch.StepAsync((_, _) => Task.FromResult("slow"), "slow-step");
                }),
                new DurableBranch<string>("broken", (branch, _) =>
                    branch.StepAsync<string>((_, _) => throw new PermanentFailure("broken branch"), "broken-step", NoRetry)),
            ],
            "fan-out",
            new ParallelConfig { CompletionConfig = new CompletionConfig { ToleratedFailureCount = 1 } });
        return Project(batch);
    }

    public static async Task<JsonObject> Map(JsonNode input, IDurableContext ctx)
    {
        int[] items = input["items"]!.AsArray().Select(item => (int)item!).ToArray();
        IBatchResult<int> squares = await ctx.MapAsync(
            items,
            (item, value, _, _) => item.StepAsync(
                (_, _) => value < 0 ? throw new PermanentFailure($"negative {value}") : Task.FromResult(value * value), "square", NoRetry),
            "squares",
            new MapConfig<int> { ItemNamer = (_, index) => $"square-{index}", CompletionConfig = new CompletionConfig { ToleratedFailureCount = 1 } });
        IBatchResult<int> firstTwo = await ctx.MapAsync(
            [10, 20, 30, 40],
            (item, value, _, _) => item.StepAsync((_, _) => Task.FromResult(value * 2), "double"),
            "first-two",
            new MapConfig<int> { ItemNamer = (_, index) => $"double-{index}", MaxConcurrency = 1, CompletionConfig = new CompletionConfig { MinSuccessful = 2 } });
        return new JsonObject { ["squares"] = Project(squares), ["firstTwo"] = Project(firstTwo) };
    }

    public static async Task<JsonObject> Polling(JsonNode input, IDurableContext ctx)
    {
        int busyMs = (int)input["busyMs"]!;
        IBatchResult<string> batch = await ctx.ParallelAsync<string>(
            [
                new DurableBranch<string>("waiter", async (branch, _) =>
                {
                    ICallback<string> signal = await branch.CreateCallbackAsync<string>("signal", new CallbackConfig { Timeout = TimeSpan.FromMinutes(1) });
                    return await signal.GetResultAsync();
                }),
                new DurableBranch<string>("busy", (branch, _) => branch.StepAsync(async (_, cancellationToken) =>
                {
                    // Real time on purpose (the server's clock is fake): the JS twin sleeps with setTimeout.
                    await Task.Delay(TimeSpan.FromMilliseconds(busyMs), TimeProvider.System, cancellationToken);
                    return "done";
                }, "slow-work")),
            ],
            "poll-while-busy");
        return Project(batch);
    }

    public sealed record Greeting(string Name);

    public sealed record InvokeResult(string? Greeting);

    public static async Task<InvokeResult> Invoke(JsonNode input, IDurableContext ctx)
    {
        string? greeting = await ctx.InvokeAsync<Greeting, string?>("greeter", new Greeting((string)input["name"]!), "call-greeter");
        return new InvokeResult(greeting);
    }

    // JS omits an undefined property; System.Text.Json writes null unless told not to.
    public sealed record OrderValidation(bool IsValid, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);

    public sealed record OrderResult(string OrderId, string Status, string? PaymentId);

    public sealed record ApprovalDecision(bool Approved);

    public static async Task<OrderResult> Order(JsonNode input, IDurableContext ctx)
    {
        string orderId = (string?)input["orderId"] ?? "";
        decimal amount = (decimal?)input["amount"] ?? 0;
        OrderValidation validation = await ctx.StepAsync((_, _) => Task.FromResult(
            orderId.Length == 0 ? new OrderValidation(false, "The order has no id.")
            : amount <= 0 ? new OrderValidation(false, $"The amount must be positive; got {amount}.")
            : new OrderValidation(true)), "validate-order");
        if (!validation.IsValid)
        {
            throw new PermanentFailure(validation.Reason!);
        }

        ICallback<ApprovalDecision> approval = await ctx.CreateCallbackAsync<ApprovalDecision>(
            "awaiting-approval", new CallbackConfig { Timeout = TimeSpan.FromMinutes(3) });
        await ctx.StepAsync((_, _) => Task.CompletedTask, "send-for-approval");
        ApprovalDecision decision = await approval.GetResultAsync();
        if (!decision.Approved)
        {
            return new OrderResult(orderId, "REJECTED", null);
        }

        string paymentId = await ctx.StepAsync(
            (step, _) => step.AttemptNumber < 2
                ? throw new TransientFailure("payment gateway timed out")
                : Task.FromResult($"pay-{orderId}-{step.AttemptNumber}"),
            "process-order",
            new StepConfig { RetryStrategy = RetryStrategy.Exponential(maxAttempts: 3, initialDelay: TimeSpan.FromSeconds(1), backoffRate: 2, jitter: JitterStrategy.None) });
        return new OrderResult(orderId, "PROCESSED", paymentId);
    }

    /// <summary>The same projection of a batch result as handlers.mjs's <c>project</c>.</summary>
    private static JsonObject Project<T>(IBatchResult<T> batch) => new()
    {
        ["status"] = batch.Status == BatchStatus.Succeeded ? "SUCCEEDED" : "FAILED",
        ["completionReason"] = batch.CompletionReason switch
        {
            CompletionReason.AllCompleted => "ALL_COMPLETED",
            CompletionReason.MinSuccessfulReached => "MIN_SUCCESSFUL_REACHED",
            _ => "FAILURE_TOLERANCE_EXCEEDED",
        },
        ["successCount"] = batch.SuccessCount,
        ["failureCount"] = batch.FailureCount,
        ["totalCount"] = batch.TotalCount,
        ["items"] = new JsonArray([.. batch.All.Select(item => (JsonNode)new JsonObject
        {
            ["index"] = item.Index,
            ["status"] = item.Status switch
            {
                BatchItemStatus.Succeeded => "SUCCEEDED",
                BatchItemStatus.Failed => "FAILED",
                _ => "STARTED",
            },
            ["result"] = item.Status == BatchItemStatus.Succeeded ? JsonValue.Create(item.Result) : null,
            ["error"] = item.Error?.ErrorMessage,
        })]),
    };
}
