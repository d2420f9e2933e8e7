using System.Text.Json.Nodes;
using Durably.Protocol;

namespace Durably.JsSdk.Tests;

/// <summary>
/// One workflow written twice: with AWS's JS SDK (tests/js-sdk-harness/handlers.mjs, at <see cref="Path"/>) and
/// with Durably's C# SDK (<see cref="CSharpTwins"/>).
/// </summary>
public sealed record Scenario(
    string Name,
    string Path,
    string InputJson,
    string ExpectedResultJson,
    Action<IDurablyBuilder, string> RegisterTwin,
    IReadOnlyList<CallbackAnswer> Answers,
    IReadOnlyList<KnownDifference> Differences)
{
    /// <summary>
    /// Compare each operation's own event sequence instead of the whole history's order: for batches, whose
    /// branches run concurrently and interleave differently in the two SDKs (see <see cref="Notes"/>).
    /// </summary>
    public bool CompareByOperation { get; init; }

    /// <summary>When set, both executions must fail with this ErrorType and message (the result is not checked).</summary>
    public (string Type, string Message)? ExpectedError { get; init; }

    /// <summary>Answer callbacks as soon as they appear, while the invocation still runs (default: when idle).</summary>
    public bool AnswerWhileRunning { get; init; }

    /// <summary>Extra checks of the JS run: its history and the checkpoint requests of its execution.</summary>
    public Action<ExecutionRun, IReadOnlyList<CheckpointCall>>? VerifyJs { get; init; }

    /// <summary>Documented differences that the comparison mode absorbs rather than a <see cref="KnownDifference"/>.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public override string ToString() => Name;
}

public static class Scenarios
{
    /// <summary>The function both invoke scenarios call: the JS greeter, itself a durable function.</summary>
    public const string InvokeTarget = "greeter";

    public static string JsFunction(Scenario scenario) => "js-" + scenario.Name;

    public static string CSharpFunction(Scenario scenario) => "cs-" + scenario.Name;

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("steps", "steps", """{"a":2,"b":3}""",
            """{"sum":5,"flaky":"ok on attempt 3","caught":"no luck"}""",
            Twin<CSharpTwins.StepsResult>(CSharpTwins.Steps), [], []),
        new("waits", "waits", "{}",
            """{"before":"before","after":"after"}""",
            Twin<CSharpTwins.WaitsResult>(CSharpTwins.Waits), [], []),
        new("callbacks", "callbacks", "{}",
            """{"approval":{"approved":true,"by":"ada"},"failure":"no budget"}""",
            Twin<CSharpTwins.CallbacksResult>(CSharpTwins.Callbacks),
            [CallbackAnswer.Success("""{"approved":true,"by":"ada"}"""), CallbackAnswer.Fail("Rejected", "no budget")], []),
        new("wait-for-callback", "waitForCallback", "{}",
            """{"answer":{"ok":1}}""",
            Twin<CSharpTwins.WaitForCallbackResult>(CSharpTwins.WaitForCallback),
            [CallbackAnswer.Success("""{"ok":1}""")], [KnownDifferences.WaitForCallbackResultIsAString, KnownDifferences.WaitForCallbackInnerNames]),
        new("wait-for-condition", "waitForCondition", "{}",
            """{"polls":3,"done":true}""",
            Twin<CSharpTwins.JobState>(CSharpTwins.WaitForCondition), [], []),
        new("child-context", "childContext", "{}",
            """{"a":1,"nested":2}""",
            Twin<CSharpTwins.ChildResult>(CSharpTwins.ChildContext), [], []),
        new("parallel", "parallel", "{}",
            """
            {"status":"FAILED","completionReason":"ALL_COMPLETED","successCount":2,"failureCount":1,"totalCount":3,"items":[
              {"index":0,"status":"SUCCEEDED","result":"fast","error":null},
              {"index":1,"status":"SUCCEEDED","result":"slow","error":null},
              {"index":2,"status":"FAILED","result":null,"error":"broken branch"}]}
            """,
            Twin<JsonObject>(CSharpTwins.Parallel), [],
            [KnownDifferences.BatchResultSerialization(Side.JavaScript), KnownDifferences.BatchResultSerialization(Side.CSharp),
             KnownDifferences.FailedBranchRecordsStepError])
        {
            CompareByOperation = true,
            Notes = [KnownDifferences.ConcurrentBranchOrder],
        },
        new("map", "map", """{"items":[1,2,-3,4]}""",
            """
            {"squares":{"status":"FAILED","completionReason":"ALL_COMPLETED","successCount":3,"failureCount":1,"totalCount":4,"items":[
                {"index":0,"status":"SUCCEEDED","result":1,"error":null},
                {"index":1,"status":"SUCCEEDED","result":4,"error":null},
                {"index":2,"status":"FAILED","result":null,"error":"negative -3"},
                {"index":3,"status":"SUCCEEDED","result":16,"error":null}]},
             "firstTwo":{"status":"SUCCEEDED","completionReason":"MIN_SUCCESSFUL_REACHED","successCount":2,"failureCount":0,"totalCount":2,"items":[
                {"index":0,"status":"SUCCEEDED","result":20,"error":null},
                {"index":1,"status":"SUCCEEDED","result":40,"error":null}]}}
            """,
            Twin<JsonObject>(CSharpTwins.Map), [],
            [KnownDifferences.BatchResultSerialization(Side.JavaScript), KnownDifferences.BatchResultSerialization(Side.CSharp),
             KnownDifferences.FailedBranchRecordsStepError])
        {
            CompareByOperation = true,
            Notes = [KnownDifferences.ConcurrentBranchOrder],
        },
        new("polling", "polling", """{"busyMs":3000}""",
            """
            {"status":"SUCCEEDED","completionReason":"ALL_COMPLETED","successCount":2,"failureCount":0,"totalCount":2,"items":[
              {"index":0,"status":"SUCCEEDED","result":"go","error":null},
              {"index":1,"status":"SUCCEEDED","result":"done","error":null}]}
            """,
            Twin<JsonObject>(CSharpTwins.Polling),
            [CallbackAnswer.Success("\"go\"")],
            [KnownDifferences.BatchResultSerialization(Side.JavaScript), KnownDifferences.BatchResultSerialization(Side.CSharp)])
        {
            CompareByOperation = true,
            AnswerWhileRunning = true,
            Notes =
            [
                KnownDifferences.ConcurrentBranchOrder,
                "Polling: with the server's fake clock Durably's C# SDK does not poll in real time (its poller runs on the " +
                "invocation's TimeProvider), so it sees the callback only in the busy step's checkpoint response; the JS " +
                "SDK sees it in an empty-Updates poll first.",
            ],
            VerifyJs = VerifyPollingDeliveredTheCallback,
        },
        new("invoke", "invoke", """{"name":"Ada"}""",
            """{"greeting":"Hello, Ada!"}""",
            Twin<CSharpTwins.InvokeResult>(CSharpTwins.Invoke), [], []),
        new("order", "order", """{"orderId":"o-42","amount":99.5,"currency":"EUR"}""",
            """{"orderId":"o-42","status":"PROCESSED","paymentId":"pay-o-42-2"}""",
            Twin<CSharpTwins.OrderResult>(CSharpTwins.Order),
            [CallbackAnswer.Success("""{"approved":true}""")], []),
        new("order-invalid", "order", """{"orderId":"o-43","amount":0,"currency":"EUR"}""", "null",
            Twin<CSharpTwins.OrderResult>(CSharpTwins.Order), [], [])
        {
            ExpectedError = ("PermanentFailure", "The amount must be positive; got 0."),
        },
        new("order-timeout", "order", """{"orderId":"o-44","amount":10,"currency":"EUR"}""", "null",
            Twin<CSharpTwins.OrderResult>(CSharpTwins.Order), [CallbackAnswer.None], [KnownDifferences.CallbackTimeoutErrorType])
        {
            ExpectedError = ("CallbackTimeoutException", "Callback timed out"),
        },
    ];

    /// <summary>
    /// The JS SDK polled with empty checkpoints (accepted), and a poll's answer carried the callback completed
    /// meanwhile: the waiter branch finished before the busy step did, all in one invocation.
    /// </summary>
    private static void VerifyPollingDeliveredTheCallback(ExecutionRun run, IReadOnlyList<CheckpointCall> checkpoints)
    {
        Assert.Contains(checkpoints, c => c.Updates == 0 && c.Status == 200);
        List<HistoryEvent> history = [.. run.History];
        int waiterDone = history.FindIndex(e => e.EventType == HistoryEventTypes.ContextSucceeded && e.Name == "waiter");
        int busyDone = history.FindIndex(e => e.EventType == HistoryEventTypes.StepSucceeded && e.Name == "slow-work");
        Assert.True(waiterDone >= 0 && busyDone >= 0 && waiterDone < busyDone,
            $"The waiter branch should finish (event #{waiterDone + 1}) before the busy step (event #{busyDone + 1}): the poll must deliver the callback.");
        Assert.Single(history, e => e.EventType == HistoryEventTypes.InvocationCompleted);
    }

    private static Action<IDurablyBuilder, string> Twin<TOutput>(Func<JsonNode, IDurableContext, Task<TOutput>> handler)
        => (builder, name) => builder.AddFunction(name, handler);
}
