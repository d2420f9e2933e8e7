using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Durably.Protocol;

namespace Durably.Conformance.Runner;

/// <summary>The outcome of one requirement run.</summary>
public sealed class RequirementReport
{
    public required Requirement Requirement { get; init; }

    public List<Mismatch> Mismatches { get; } = [];

    /// <summary>Non-fatal remarks (e.g. logs that could not be checked).</summary>
    public List<string> Notes { get; } = [];

    public string? DurableExecutionArn { get; set; }

    public ExecutionStatus? Status { get; set; }

    public string? Result { get; set; }

    public ErrorObject? Error { get; set; }

    public JsonArray ActualHistory { get; set; } = [];

    public IReadOnlyList<CapturedLog>? Logs { get; set; }

    public bool Passed => Mismatches.Count == 0;

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Requirement {Requirement.Id} ({Requirement.Suite}){(Requirement.Optional ? " [optional]" : "")}: {(Passed ? "PASSED" : "FAILED")}");
        sb.AppendLine($"  {Requirement.Description}");
        sb.AppendLine($"  File: {Requirement.FilePath}");
        if (Requirement.Variables.Count > 0)
        {
            sb.AppendLine($"  Variables: {string.Join(", ", Requirement.Variables.Select(v => $"{v.Key}={v.Value}"))}");
        }

        sb.AppendLine($"  Execution: {DurableExecutionArn ?? "(not started)"} status={Status?.ToString() ?? "?"} result={Result ?? "null"}" +
                      (Error is null ? "" : $" error={Error.ErrorType}: {Error.ErrorMessage}"));
        foreach (Mismatch mismatch in Mismatches)
        {
            sb.AppendLine($"  MISMATCH {mismatch}");
        }

        foreach (string note in Notes)
        {
            sb.AppendLine($"  note: {note}");
        }

        sb.AppendLine("  Actual history:");
        foreach (JsonNode? e in ActualHistory)
        {
            sb.AppendLine($"    {JsonText.Show(e)}");
        }

        if (Logs is { Count: > 0 })
        {
            sb.AppendLine("  Function logs:");
            foreach (CapturedLog log in Logs)
            {
                sb.AppendLine($"    {log.Line}");
            }
        }

        return sb.ToString();
    }
}

/// <summary>
/// Runs one requirement against a host: starts the execution with the requirement's input, answers
/// callbacks as CallbackActions say, drives fake time until the execution closes (or until the
/// expected events are there, for requirements without ExpectedResult), then matches result and
/// history. Follows the conformance README and AWS's runner (validate.py / history.py).
/// </summary>
public static class ConformanceRunner
{
    private const int MaxRounds = 500;

    public static async Task<RequirementReport> RunAsync(
        Requirement requirement, IConformanceHost host, string functionName, CancellationToken cancellationToken)
    {
        var report = new RequirementReport { Requirement = requirement };
        var context = new PlaceholderContext();
        foreach (var (name, value) in requirement.Variables)
        {
            context.Bind(name, JsonValue.Create(value));
        }

        JsonObject? expectedResult = requirement.ExpectedResult;
        bool historyOnly = expectedResult is null;
        JsonArray expectedHistory = requirement.ExpectedHistory;
        IReadOnlyList<CallbackAction> actions = requirement.CallbackActions;
        var usedActions = new HashSet<int>();
        var handledCallbacks = new HashSet<string>(StringComparer.Ordinal);

        StartExecutionResult started = await host.Client.StartAsync(functionName, requirement.Input, cancellationToken: cancellationToken);
        string arn = started.DurableExecutionArn;
        report.DurableExecutionArn = arn;

        List<JsonObject> events = [];
        DurableExecutionDescription description;
        bool matchedEarly = false;
        int round = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++round > MaxRounds)
            {
                report.Mismatches.Add(new Mismatch(null, "run", "a terminal status", "still running", $"gave up after {MaxRounds} rounds"));
                break;
            }

            await host.WaitForIdleAsync(cancellationToken);
            events = await FetchHistoryAsync(host.Client, arn, cancellationToken);
            description = await host.Client.GetExecutionAsync(arn, cancellationToken);
            if (description.Status != ExecutionStatus.Running)
            {
                break;
            }

            if (historyOnly && expectedHistory.Count > 0
                && new HistoryMatcher(Clone(context)).Match(expectedHistory, events).Count == 0)
            {
                matchedEarly = true;
                break;
            }

            // Answer the callbacks that appeared (README: each action used once, in order; heartbeat does
            // not consume the callback).
            bool acted = false;
            foreach (JsonObject callbackEvent in events.Where(e => (string?)e["EventType"] == HistoryEventTypes.CallbackStarted))
            {
                string? callbackId = (string?)callbackEvent["CallbackStartedDetails"]?["CallbackId"];
                if (callbackId is null || handledCallbacks.Contains(callbackId))
                {
                    continue;
                }

                string eventName = (string?)callbackEvent["Name"] ?? "";
                int index = FindAction(actions, usedActions, eventName, context);
                if (index < 0)
                {
                    if (actions.Count > 0)
                    {
                        report.Mismatches.Add(new Mismatch(JsonText.TryGetInt((JsonValue)callbackEvent["EventId"]!, out int id) ? id : null,
                            "CallbackActions", "an action for this callback", eventName, $"no matching CallbackAction for callback '{eventName}' (id={callbackId})"));
                    }

                    handledCallbacks.Add(callbackId);
                    continue;
                }

                usedActions.Add(index);
                CallbackAction action = actions[index];
                if (action.Operation != "heartbeat")
                {
                    handledCallbacks.Add(callbackId);
                }

                // "wait Delay seconds": let the system settle, then move the fake clock.
                await host.WaitForIdleAsync(cancellationToken);
                if (action.DelaySeconds > 0)
                {
                    await host.AdvanceAsync(TimeSpan.FromSeconds(action.DelaySeconds), cancellationToken);
                    await host.WaitForIdleAsync(cancellationToken);
                }

                await SendAsync(host, callbackId, action, cancellationToken);
                acted = true;

                // Only one action per round: the history changes after each one.
                break;
            }

            if (acted)
            {
                continue;
            }

            if (!await host.AdvanceToNextTimerAsync(cancellationToken))
            {
                break;
            }
        }

        await host.WaitForIdleAsync(cancellationToken);
        events = await FetchHistoryAsync(host.Client, arn, cancellationToken);
        description = await host.Client.GetExecutionAsync(arn, cancellationToken);
        report.ActualHistory = [.. events.Select(e => (JsonNode)e.DeepClone())];
        report.Status = description.Status;
        report.Result = description.Result;
        report.Error = description.Error;
        report.Logs = host.Logs;

        // History (matched on the final history; also when we stopped early on a match).
        var matcher = new HistoryMatcher(context);
        report.Mismatches.AddRange(matcher.Match(expectedHistory, events));
        if (historyOnly && !matchedEarly && report.Mismatches.Count == 0 && expectedHistory.Count == 0)
        {
            report.Notes.Add("requirement has neither ExpectedResult nor ExpectedExecutionHistory");
        }

        if (expectedResult is not null)
        {
            CheckResult(expectedResult, description, context, report);
        }

        CheckLogs(requirement, host.Logs, report);
        return report;
    }

    private static PlaceholderContext Clone(PlaceholderContext context)
    {
        var clone = new PlaceholderContext();
        foreach (var (name, value) in context.Bindings)
        {
            clone.Bind(name, value);
        }

        return clone;
    }

    private static int FindAction(IReadOnlyList<CallbackAction> actions, HashSet<int> used, string eventName, PlaceholderContext context)
    {
        for (int i = 0; i < actions.Count; i++)
        {
            if (used.Contains(i))
            {
                continue;
            }

            string wanted = context.Substitute(actions[i].CallbackName);
            if (wanted == "*" || wanted == eventName)
            {
                return i;
            }

            Match regex = Regex.Match(wanted, @"^\$\{/(.+)/\}$", RegexOptions.Singleline);
            if (regex.Success && Regex.IsMatch(eventName, regex.Groups[1].Value))
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task SendAsync(IConformanceHost host, string callbackId, CallbackAction action, CancellationToken cancellationToken)
    {
        IDurableClient client = host.Client;
        switch (action.Operation)
        {
            case "success":
                // AWS's runner sends json.dumps(Payload) as the raw body (no body when Payload is null).
                await host.SendCallbackSuccessRawAsync(callbackId, action.Payload is null ? null : JsonText.PythonDumps(action.Payload), cancellationToken);
                break;
            case "failure":
                ErrorObject? error = null;
                if (action.Payload is JsonObject payload)
                {
                    error = new ErrorObject
                    {
                        ErrorType = (string?)payload["ErrorType"],
                        ErrorMessage = (string?)payload["ErrorMessage"],
                        ErrorData = (string?)payload["ErrorData"],
                        StackTrace = payload["StackTrace"] is JsonArray stack ? stack.Select(s => (string?)s ?? "").ToList() : null,
                    };
                }

                await client.SendCallbackFailureAsync(callbackId, error, cancellationToken);
                break;
            case "heartbeat":
                await client.SendCallbackHeartbeatAsync(callbackId, cancellationToken);
                break;
            default:
                throw new InvalidDataException($"Unknown callback operation '{action.Operation}'.");
        }
    }

    /// <summary>Reads the history and serializes each event to its wire form (keys = wire names).</summary>
    public static async Task<List<JsonObject>> FetchHistoryAsync(IDurableClient client, string arn, CancellationToken cancellationToken)
    {
        IReadOnlyList<HistoryEvent> history = await client.GetHistoryAsync(arn, cancellationToken);
        return ToWire(history);
    }

    public static List<JsonObject> ToWire(IReadOnlyList<HistoryEvent> history)
    {
        List<JsonObject> events = history
            .Select(e => JsonSerializer.SerializeToNode(e, DurablyJson.Api)!.AsObject())
            .ToList();
        InheritWaitForCallbackNames(events);
        return events;
    }

    /// <summary>README: a child event of a WaitForCallback context with no name takes its parent's name.</summary>
    public static void InheritWaitForCallbackNames(List<JsonObject> events)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonObject e in events)
        {
            if ((string?)e["SubType"] == "WaitForCallback" && (string?)e["Id"] is { } id && (string?)e["Name"] is { } name)
            {
                names[id] = name;
            }
        }

        foreach (JsonObject e in events)
        {
            if (e["Name"] is null && (string?)e["ParentId"] is { } parent && names.TryGetValue(parent, out string? parentName))
            {
                e["Name"] = parentName;
            }
        }
    }

    private static void CheckResult(JsonObject expected, DurableExecutionDescription description, PlaceholderContext context, RequirementReport report)
    {
        string actualStatus = WireStatus(description.Status);
        string? expectedStatus = (string?)expected["ExecutionStatus"];
        if (expectedStatus is not null && expectedStatus != actualStatus)
        {
            report.Mismatches.Add(new Mismatch(null, "ExpectedResult.ExecutionStatus", expectedStatus, actualStatus,
                "execution status differs" + (description.Error is { } err ? $" (error {err.ErrorType}: {err.ErrorMessage})" : "")));
            return;
        }

        if (actualStatus != "SUCCEEDED" || !expected.ContainsKey("Result"))
        {
            return;
        }

        JsonNode? expectedOutput = Substitute(expected["Result"], context);
        JsonNode? actualOutput = JsonText.DecodeOnce(description.Result);
        if (!JsonText.PythonEquals(expectedOutput, actualOutput))
        {
            report.Mismatches.Add(new Mismatch(null, "ExpectedResult.Result", JsonText.Show(expectedOutput), JsonText.Show(actualOutput),
                $"result differs (raw result string: {description.Result ?? "null"})"));
        }
    }

    private static JsonNode? Substitute(JsonNode? node, PlaceholderContext context) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Substitute(p.Value, context)))),
        JsonArray array => new JsonArray([.. array.Select(i => Substitute(i, context))]),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(context.Substitute(v.GetValue<string>())),
        _ => node.DeepClone(),
    };

    public static string WireStatus(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Running => "RUNNING",
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.TimedOut => "TIMED_OUT",
        ExecutionStatus.Stopped => "STOPPED",
        _ => status.ToString().ToUpperInvariant(),
    };

    private static void CheckLogs(Requirement requirement, IReadOnlyList<CapturedLog>? logs, RequirementReport report)
    {
        JsonArray? expectedLogs = requirement.ExpectedLogs;
        if (expectedLogs is null || expectedLogs.Count == 0)
        {
            return;
        }

        if (logs is null)
        {
            report.Notes.Add("ExpectedLogs not checked: this host does not capture function logs");
            return;
        }

        foreach (JsonObject entry in expectedLogs.OfType<JsonObject>())
        {
            int expectedCount = entry["count"] is JsonValue c ? (int)JsonText.Number(c) : 1;
            var match = entry["match"] as JsonObject ?? [];
            int actualCount = logs.Count(line => match.All(m => LogFieldMatches(m.Key, m.Value, line)));
            if (actualCount != expectedCount)
            {
                report.Mismatches.Add(new Mismatch(null, "ExpectedLogs", $"{JsonText.Show(match)} x{expectedCount}", $"x{actualCount}",
                    "log line count differs"));
            }
        }
    }

    private static bool LogFieldMatches(string field, JsonNode? pattern, CapturedLog line)
    {
        string value = field switch
        {
            "message" => line.Line,
            "level" => line.Level.ToString(),
            _ => line.Line,
        };
        string text = pattern is null ? "" : JsonText.AsPythonString(pattern);
        if (text.Length >= 2 && text[0] == '/' && text[^1] == '/')
        {
            return Regex.IsMatch(value, text[1..^1]);
        }

        return value == text || value.Contains(text, StringComparison.Ordinal);
    }
}
