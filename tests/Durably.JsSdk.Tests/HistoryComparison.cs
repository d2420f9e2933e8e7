using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Durably.Protocol;

namespace Durably.JsSdk.Tests;

/// <summary>Which of the two histories a <see cref="KnownDifference"/> adjusts before the comparison.</summary>
public enum Side
{
    JavaScript,
    CSharp,
}

/// <summary>
/// A documented, legitimate difference between what AWS's JS SDK and Durably's C# SDK record for the same
/// workflow. <see cref="Adjust"/> rewrites (or drops, by returning null) one event of <see cref="Side"/>'s
/// history — it sees the whole history, e.g. to look up a parent — so that the rest can be compared exactly.
/// </summary>
public sealed record KnownDifference(string Description, Side Side, Func<HistoryEvent, IReadOnlyList<HistoryEvent>, HistoryEvent?> Adjust)
{
    public override string ToString() => $"[{Side}] {Description}";
}

/// <summary>
/// Compares two histories by structure: operation ids differ by design (JS: md5-16 of the raw counter path;
/// .NET: SHA-256), so each operation gets a key from its place in the tree — the parent's key, then
/// <c>SubType:Name</c>, then <c>#n</c> for the n-th sibling with the same SubType and Name. Each event becomes one
/// line: event type, key, and the details both SDKs should agree on (attempts, retry delays, durations, callback
/// timeouts, invoke target, error type and message, payloads compared as canonical JSON). Timestamps, callback
/// ids, request ids, child execution ARNs and stack traces are left out.
/// </summary>
public static class HistoryComparison
{
    public static IReadOnlyList<string> Normalize(IReadOnlyList<HistoryEvent> history)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var siblings = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = new List<string>(history.Count);
        foreach (HistoryEvent e in history)
        {
            string key = e.Id is null ? "" : KeyOf(e, keys, siblings);
            lines.Add($"{e.EventType} {key}{Details(e)}".TrimEnd());
        }

        return lines;
    }

    /// <summary>The normalized lines of each side after its known differences; equal when the histories match.</summary>
    public static (IReadOnlyList<string> Js, IReadOnlyList<string> CSharp) Prepare(
        IReadOnlyList<HistoryEvent> js, IReadOnlyList<HistoryEvent> csharp, IReadOnlyList<KnownDifference> differences)
        => (Normalize(Apply(js, differences.Where(d => d.Side == Side.JavaScript))),
            Normalize(Apply(csharp, differences.Where(d => d.Side == Side.CSharp))));

    /// <summary>
    /// The lines regrouped per operation (key order), each operation keeping its own event order; the lines of no
    /// operation (execution and InvocationCompleted events) come first, in history order, so the number of
    /// invocations is still compared. For batches, whose concurrent branches interleave differently.
    /// </summary>
    public static IReadOnlyList<string> ByOperation(IReadOnlyList<string> lines)
    {
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            string[] parts = line.Split(' ', 3);
            string key = parts.Length > 1 ? parts[1] : "";
            if (!groups.TryGetValue(key, out List<string>? group))
            {
                groups[key] = group = [];
            }

            group.Add(line);
        }

        return [.. groups.SelectMany(g => g.Value)];
    }

    /// <summary>Both line lists side by side (long lines cut), then each differing pair in full.</summary>
    public static string SideBySide(IReadOnlyList<string> js, IReadOnlyList<string> csharp)
    {
        const int Width = 110;
        static string Cut(string line) => line.Length <= Width ? line.PadRight(Width) : line[..(Width - 1)] + "…";
        var text = new StringBuilder();
        var differing = new StringBuilder();
        for (int i = 0; i < Math.Max(js.Count, csharp.Count); i++)
        {
            string left = i < js.Count ? js[i] : "";
            string right = i < csharp.Count ? csharp[i] : "";
            bool same = left == right;
            text.Append(same ? "   " : "!! ").Append(Cut(left)).Append(" | ").AppendLine(Cut(right).TrimEnd());
            if (!same)
            {
                differing.AppendLine($"#{i + 1} JS: {left}").AppendLine($"#{i + 1} C#: {right}");
            }
        }

        return differing.Length == 0 ? text.ToString() : text.Append("Differing lines in full:\n").Append(differing).ToString();
    }

    /// <summary>A JSON payload in canonical form (object keys sorted, no spaces), or the raw text quoted.</summary>
    public static string Canonical(string? payload)
    {
        if (payload is null)
        {
            return "(none)";
        }

        try
        {
            return Sort(JsonNode.Parse(payload))?.ToJsonString() ?? "null";
        }
        catch (JsonException)
        {
            return "raw:" + JsonSerializer.Serialize(payload);
        }
    }

    private static List<HistoryEvent> Apply(IReadOnlyList<HistoryEvent> history, IEnumerable<KnownDifference> differences)
    {
        List<HistoryEvent> adjusted = [.. history];
        foreach (KnownDifference difference in differences)
        {
            List<HistoryEvent> source = adjusted;
            adjusted = [.. source.Select(e => difference.Adjust(e, source)).OfType<HistoryEvent>()];
        }

        return adjusted;
    }

    private static string KeyOf(HistoryEvent e, Dictionary<string, string> keys, Dictionary<string, int> siblings)
    {
        if (keys.TryGetValue(e.Id!, out string? known))
        {
            return known;
        }

        if (e.EventType == HistoryEventTypes.ExecutionStarted)
        {
            return keys[e.Id!] = "execution";
        }

        string parent = e.ParentId is not null && keys.TryGetValue(e.ParentId, out string? parentKey) ? parentKey : "";
        string label = $"{e.SubType ?? OperationType(e.EventType)}:{e.Name ?? "_"}";
        string path = $"{parent}/{label}";
        int n = siblings.TryGetValue(path, out int count) ? count : 0;
        siblings[path] = n + 1;
        return keys[e.Id!] = n == 0 ? path : $"{path}#{n}";
    }

    private static string OperationType(string eventType)
    {
        foreach (string prefix in new[] { "ChainedInvoke", "Execution", "Context", "Callback", "Step", "Wait" })
        {
            if (eventType.StartsWith(prefix, StringComparison.Ordinal))
            {
                return prefix;
            }
        }

        return eventType;
    }

    private static string Details(HistoryEvent e)
    {
        HistoryEventDetails d = e.Details;
        var parts = new List<string>();
        if (e.EventType == HistoryEventTypes.InvocationCompleted)
        {
            return d.Error?.Payload is { } failure ? $" error={failure.ErrorType}" : "";
        }

        if (d.Input is not null)
        {
            parts.Add("input=" + Canonical(d.Input.Payload));
        }

        if (d.ExecutionTimeout is { } executionTimeout)
        {
            parts.Add($"timeout={executionTimeout}");
        }

        if (d.FunctionName is not null)
        {
            parts.Add($"function={d.FunctionName}");
        }

        if (d.TenantId is not null)
        {
            parts.Add($"tenant={d.TenantId}");
        }

        if (d.ExecutedVersion is not null)
        {
            parts.Add($"version={d.ExecutedVersion}");
        }

        if (d.Duration is { } duration)
        {
            parts.Add($"duration={duration}");
        }

        if (d.Timeout is { } timeout)
        {
            parts.Add($"timeout={timeout}");
        }

        if (d.HeartbeatTimeout is { } heartbeat)
        {
            parts.Add($"heartbeat={heartbeat}");
        }

        if (d.RetryDetails is { } retry)
        {
            parts.Add($"attempt={retry.CurrentAttempt?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
            if (retry.NextAttemptDelaySeconds is { } delay)
            {
                parts.Add($"next={delay}");
            }
        }

        if (d.Result is not null)
        {
            parts.Add("result=" + Canonical(d.Result.Payload));
        }

        if (d.Error is not null)
        {
            parts.Add($"error={d.Error.Payload?.ErrorType}: {d.Error.Payload?.ErrorMessage}");
        }

        return parts.Count == 0 ? "" : " " + string.Join(" ", parts);
    }

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sort)]),
        null => null,
        _ => node.DeepClone(),
    };
}
