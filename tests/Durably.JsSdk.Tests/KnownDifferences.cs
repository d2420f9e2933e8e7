using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Durably.Protocol;

namespace Durably.JsSdk.Tests;

/// <summary>
/// Where AWS's JS SDK 2.4.0 and Durably's C# SDK legitimately record different things for the same workflow.
/// Each is applied to one side's history before the comparison, narrowly (one event type and sub-type), so
/// everything else is still compared exactly.
/// </summary>
public static class KnownDifferences
{
    /// <summary>
    /// waitForCallback's result: the JS SDK's default callback serdes passes the callback body through as a raw
    /// string (WIRE-DETAILS §H.6) and its WaitForCallback CONTEXT then records <c>JSON.stringify(thatString)</c>,
    /// a JSON string holding the JSON text; Durably's C# SDK deserializes the body to the requested type and records
    /// its JSON. The JS payload is unwrapped once here (the callback's own CallbackSucceeded payload agrees).
    /// </summary>
    public static readonly KnownDifference WaitForCallbackResultIsAString = new(
        "waitForCallback: JS records the WaitForCallback context's result as a JSON string containing the raw callback body " +
        "(default pass-through serdes, then JSON.stringify); C# records the deserialized value's JSON.",
        Side.JavaScript,
        (e, _) => e.EventType == HistoryEventTypes.ContextSucceeded && e.SubType == "WaitForCallback"
                  && e.Details.Result?.Payload is { } payload && JsonNode.Parse(payload) is JsonValue text && text.TryGetValue(out string? inner)
            ? e with { Details = e.Details with { Result = e.Details.Result with { Payload = inner } } }
            : e);

    /// <summary>
    /// A failed batch item: the JS SDK records the item CONTEXT's failure as its own wrapper error
    /// (<c>ErrorType: "StepError"</c>, the step's message), Durably's C# SDK records the step's original error
    /// (ErrorType = the exception type name). The JS ErrorType is replaced by that of the failed child step.
    /// </summary>
    public static readonly KnownDifference WaitForCallbackInnerNames = new(
        "waitForCallback: C# names the inner callback \"<name> create callback id\" and the submitter step \"<name> submitter\" " +
        "(the names AWS's OTel conformance histories require, as AWS's Python SDK records them); AWS's JS SDK leaves both unnamed.",
        Side.CSharp,
        (e, history) => e.SubType is "Callback" or "Step"
                        && history.Any(parent => parent.Id == e.ParentId && parent.SubType == "WaitForCallback")
            ? e with { Name = null }
            : e);

    public static readonly KnownDifference FailedBranchRecordsStepError = new(
        "Failed parallel branch / map item: JS records the item context's error as ErrorType \"StepError\" (its wrapper); " +
        "C# records the failed step's own ErrorType. Messages agree.",
        Side.JavaScript,
        (e, history) =>
        {
            if (e.EventType != HistoryEventTypes.ContextFailed || e.SubType is not ("ParallelBranch" or "MapIteration")
                || e.Details.Error?.Payload is not { ErrorType: "StepError" } error)
            {
                return e;
            }

            HistoryEvent? step = history.LastOrDefault(s => s.EventType == HistoryEventTypes.StepFailed && s.ParentId == e.Id);
            return step?.Details.Error?.Payload?.ErrorType is { } stepType
                ? e with { Details = e.Details with { Error = e.Details.Error with { Payload = error with { ErrorType = stepType } } } }
                : e;
        });

    /// <summary>
    /// An uncaught callback timeout: the JS SDK fails the execution with its error class name
    /// <c>CallbackTimeoutError</c>, Durably's C# SDK with <c>CallbackTimeoutException</c> (message from the server).
    /// </summary>
    public static readonly KnownDifference CallbackTimeoutErrorType = new(
        "Uncaught callback timeout: JS fails the execution with ErrorType \"CallbackTimeoutError\" (its error class), " +
        "C# with \"CallbackTimeoutException\"; the message (the server's \"Callback timed out\") agrees.",
        Side.JavaScript,
        (e, _) => e.EventType == HistoryEventTypes.ExecutionFailed && e.Details.Error?.Payload is { ErrorType: "CallbackTimeoutError" } error
            ? e with { Details = e.Details with { Error = e.Details.Error with { Payload = error with { ErrorType = "CallbackTimeoutException", StackTrace = null } } } }
            : e);

    public const string ConcurrentBranchOrder =
        "Batch scheduling: the JS SDK starts every branch/item CONTEXT first and their operations interleave; Durably's " +
        "C# SDK runs each branch until it blocks or finishes before starting the next. The history order differs, so " +
        "the comparison is per operation (each operation's own event sequence).";

    /// <summary>
    /// The serialized BatchResult of a Parallel/Map CONTEXT: JS writes <c>{all:[{index, status, result?, error?:
    /// {ErrorType, ErrorMessage, Cause…}}], completionReason}</c> with UPPER_CASE enums; C# writes its
    /// BatchResult record (camelCase, PascalCase enum names, item names, counts, error objects with stack traces).
    /// Both are projected to what they share: per item index, status, result; and the completion reason.
    /// </summary>
    public static KnownDifference BatchResultSerialization(Side side) => new(
        "Parallel/Map result payload: each SDK serializes its own BatchResult shape (JS: {all, completionReason} with " +
        "UPPER_CASE enums and Cause chains, no result on a failed item; C#: its record with PascalCase enums, names, counts, " +
        "stack traces, and default(T) — 0 for int — as a failed item's result); compared on what both carry: items' " +
        "index/status/result (of succeeded items) and the completion reason.",
        side,
        (e, _) => e.EventType == HistoryEventTypes.ContextSucceeded && e.SubType is "Parallel" or "Map" && e.Details.Result?.Payload is { } payload
            ? e with { Details = e.Details with { Result = e.Details.Result with { Payload = ProjectBatch(payload) } } }
            : e);

    private static string ProjectBatch(string payload)
    {
        JsonNode? root = JsonNode.Parse(payload);
        var items = new JsonArray();
        foreach (JsonNode? item in root?["all"]?.AsArray() ?? [])
        {
            string? status = UpperSnake((string?)item?["status"]);
            items.Add(new JsonObject
            {
                ["index"] = item?["index"]?.DeepClone(),
                ["status"] = status,
                ["result"] = status == "SUCCEEDED" ? item?["result"]?.DeepClone() : null,
            });
        }

        return new JsonObject { ["all"] = items, ["completionReason"] = UpperSnake((string?)root?["completionReason"]) }.ToJsonString();
    }

    /// <summary><c>AllCompleted</c> → <c>ALL_COMPLETED</c>; already upper-case text is kept.</summary>
    private static string? UpperSnake(string? value)
    {
        if (value is null || !value.Any(char.IsLower))
        {
            return value;
        }

        var text = new StringBuilder();
        foreach (char c in value)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToUpperInvariant(c));
        }

        return text.ToString();
    }

    /// <summary>Serializes an event the way the API does, for test output.</summary>
    public static string Show(HistoryEvent e) => JsonSerializer.Serialize(e, DurablyJson.Api);
}
