using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Durably.Conformance.Runner;

/// <summary>One difference between the expected and the actual history or result.</summary>
public sealed record Mismatch(int? EventId, string Path, string Expected, string Actual, string Message)
{
    public override string ToString()
        => EventId is { } id
            ? $"EventId {id} at {Path}: {Message} (expected {Expected}, actual {Actual})"
            : $"{Path}: {Message} (expected {Expected}, actual {Actual})";
}

/// <summary>
/// Placeholder bindings shared by one requirement run: <c>${X}</c> binds on first sight and must be
/// equal everywhere after.
/// </summary>
public sealed partial class PlaceholderContext
{
    private readonly Dictionary<string, JsonNode?> _bindings = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, JsonNode?> Bindings => _bindings;

    public bool TryGet(string name, out JsonNode? value) => _bindings.TryGetValue(name, out value);

    public void Bind(string name, JsonNode? value) => _bindings[name] = value?.DeepClone();

    /// <summary>Replaces every <c>${NAME}</c> whose name is bound to a scalar inside a string.</summary>
    public string Substitute(string text)
        => PlaceholderInText().Replace(text, m =>
            _bindings.TryGetValue(m.Groups[1].Value, out JsonNode? bound) ? JsonText.AsPythonString(bound) : m.Value);

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex PlaceholderInText();
}

/// <summary>
/// Matches expected events (from a requirement) to actual events (our history serialized with
/// <c>DurablyJson.Api</c>) by EventId, with the rules of the conformance README: <c>'*'</c> any value,
/// <c>{}</c> don't care, <c>${X}</c> binds on first sight, <c>${/re/}</c> regex on the value, anything
/// else must be equal. Keys present in the expected object must be present in the actual one; extra
/// actual keys and extra actual events are ignored.
/// </summary>
public sealed partial class HistoryMatcher
{
    private readonly PlaceholderContext _context;
    private readonly List<Mismatch> _errors = [];
    private int? _eventId;

    public HistoryMatcher(PlaceholderContext? context = null) => _context = context ?? new PlaceholderContext();

    public PlaceholderContext Context => _context;

    public IReadOnlyList<Mismatch> Match(JsonArray expectedEvents, IReadOnlyList<JsonObject> actualEvents)
    {
        _errors.Clear();
        var actualById = new Dictionary<int, JsonObject>();
        foreach (JsonObject actual in actualEvents)
        {
            if (actual["EventId"] is JsonValue idValue && idValue.TryGetValue(out int id))
            {
                actualById[id] = actual;
            }
        }

        foreach (JsonNode? expectedNode in expectedEvents)
        {
            if (expectedNode is not JsonObject expected)
            {
                _errors.Add(new Mismatch(null, "ExpectedExecutionHistory", JsonText.Show(expectedNode), "-", "expected event is not an object"));
                continue;
            }

            if (expected["EventId"] is not JsonValue expectedId || !JsonText.TryGetInt(expectedId, out int eventId))
            {
                _errors.Add(new Mismatch(null, "ExpectedExecutionHistory", JsonText.Show(expected), "-", "expected event has no EventId"));
                continue;
            }

            _eventId = eventId;
            if (!actualById.TryGetValue(eventId, out JsonObject? actualEvent))
            {
                _errors.Add(new Mismatch(eventId, "", $"{expected["EventType"]} event", "(none)", "no actual event with this EventId"));
                continue;
            }

            MatchValue(expected, actualEvent, "");
        }

        _eventId = null;
        return [.. _errors];
    }

    /// <summary>Matches one value with the same rules (used for unit tests and ad-hoc checks).</summary>
    public IReadOnlyList<Mismatch> MatchSingle(JsonNode? expected, JsonNode? actual, string path = "Value")
    {
        _errors.Clear();
        _eventId = null;
        MatchValue(expected, actual, path);
        return [.. _errors];
    }

    private void MatchValue(JsonNode? expected, JsonNode? actual, string path)
    {
        // {} : don't care.
        if (expected is JsonObject { Count: 0 })
        {
            return;
        }

        string? expectedString = expected is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

        // '*' : any value.
        if (expectedString == "*")
        {
            return;
        }

        if (expectedString is not null)
        {
            Match regexMatch = RegexPlaceholder().Match(expectedString);
            if (regexMatch.Success)
            {
                var regex = new Regex(regexMatch.Groups[1].Value);
                string text = JsonText.AsPythonString(actual);
                if (!regex.IsMatch(text))
                {
                    Fail(path, expectedString, actual, "does not match the regex");
                }

                return;
            }

            Match placeholder = NamedPlaceholder().Match(expectedString);
            if (placeholder.Success)
            {
                string name = placeholder.Groups[1].Value;
                if (_context.TryGet(name, out JsonNode? bound))
                {
                    if (!JsonText.PythonEquals(bound, actual))
                    {
                        Fail(path, $"${{{name}}} = {JsonText.Show(bound)}", actual, $"placeholder ${{{name}}} was bound to another value");
                    }
                }
                else
                {
                    _context.Bind(name, actual);
                }

                return;
            }
        }

        if (expected is JsonObject expectedObject && actual is JsonObject actualObject)
        {
            foreach (var (key, expectedChild) in expectedObject)
            {
                string childPath = path.Length == 0 ? key : $"{path}.{key}";
                if (!actualObject.TryGetPropertyValue(key, out JsonNode? actualChild))
                {
                    Fail(childPath, JsonText.Show(expectedChild), "(missing)", "key missing in actual");
                    continue;
                }

                MatchValue(expectedChild, actualChild, childPath);
            }

            return;
        }

        if (expected is JsonArray expectedArray && actual is JsonArray actualArray)
        {
            if (expectedArray.Count != actualArray.Count)
            {
                Fail(path, JsonText.Show(expectedArray), actualArray, $"list length mismatch (expected {expectedArray.Count}, got {actualArray.Count})");
                return;
            }

            for (int i = 0; i < expectedArray.Count; i++)
            {
                MatchValue(expectedArray[i], actualArray[i], $"{path}[{i}]");
            }

            return;
        }

        JsonNode? resolved = expectedString is not null ? JsonValue.Create(_context.Substitute(expectedString)) : expected;
        if (!JsonText.PythonEquals(resolved, actual))
        {
            Fail(path, JsonText.Show(resolved), actual, "values differ");
        }

    }

    private void Fail(string path, string expected, JsonNode? actual, string message)
        => _errors.Add(new Mismatch(_eventId, path.Length == 0 ? "(event)" : path, expected, JsonText.Show(actual), message));

    private void Fail(string path, string expected, string actual, string message)
        => _errors.Add(new Mismatch(_eventId, path.Length == 0 ? "(event)" : path, expected, actual, message));

    [GeneratedRegex(@"^\$\{/(.+)/\}$", RegexOptions.Singleline)]
    private static partial Regex RegexPlaceholder();

    [GeneratedRegex(@"^\$\{(.+)\}$", RegexOptions.Singleline)]
    private static partial Regex NamedPlaceholder();
}

/// <summary>JSON helpers mirroring Python semantics (AWS's runner is Python).</summary>
public static class JsonText
{
    private static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // for people reading reports, not for the web
    };

    public static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString(Compact);

    public static bool TryGetInt(JsonValue value, out int result)
    {
        result = 0;
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        decimal d = Number(value);
        result = (int)d;
        return result == d;
    }

    /// <summary>A JSON number, whatever CLR type backs the node.</summary>
    public static decimal Number(JsonValue value)
        => decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary><c>str(value)</c> as Python prints a decoded JSON value.</summary>
    public static string AsPythonString(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "None";
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.String:
                        return value.GetValue<string>();
                    case JsonValueKind.True:
                        return "True";
                    case JsonValueKind.False:
                        return "False";
                    case JsonValueKind.Number:
                        decimal d = Number(value);
                        return d == decimal.Floor(d)
                            ? decimal.Truncate(d).ToString(CultureInfo.InvariantCulture)
                            : d.ToString(CultureInfo.InvariantCulture);
                    default:
                        return value.ToJsonString();
                }

            default:
                return node.ToJsonString(Compact);
        }
    }

    /// <summary>Equality of decoded JSON values as Python's <c>==</c> sees them (1 == 1.0).</summary>
    public static bool PythonEquals(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        switch (a, b)
        {
            case (JsonObject oa, JsonObject ob):
                if (oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var (key, value) in oa)
                {
                    if (!ob.TryGetPropertyValue(key, out JsonNode? other) || !PythonEquals(value, other))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonArray aa, JsonArray ab):
                if (aa.Count != ab.Count)
                {
                    return false;
                }

                for (int i = 0; i < aa.Count; i++)
                {
                    if (!PythonEquals(aa[i], ab[i]))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonValue va, JsonValue vb):
                JsonValueKind ka = va.GetValueKind(), kb = vb.GetValueKind();
                if (ka == JsonValueKind.Number && kb == JsonValueKind.Number)
                {
                    return Number(va) == Number(vb);
                }

                if (ka != kb)
                {
                    return false;
                }

                return ka switch
                {
                    JsonValueKind.String => va.GetValue<string>() == vb.GetValue<string>(),
                    JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => true,
                    _ => va.ToJsonString() == vb.ToJsonString(),
                };
            default:
                return false;
        }
    }

    /// <summary>Decodes a result string once, as <c>json.loads</c> does, falling back to the raw string.</summary>
    public static JsonNode? DecodeOnce(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            return JsonValue.Create(raw);
        }
    }

    /// <summary><c>json.dumps(value)</c> with Python's default separators (<c>", "</c> and <c>": "</c>).</summary>
    public static string PythonDumps(JsonNode? node)
    {
        var builder = new System.Text.StringBuilder();
        Write(node, builder);
        return builder.ToString();

        static void Write(JsonNode? node, System.Text.StringBuilder sb)
        {
            switch (node)
            {
                case null:
                    sb.Append("null");
                    break;
                case JsonObject obj:
                    sb.Append('{');
                    bool first = true;
                    foreach (var (key, value) in obj)
                    {
                        if (!first)
                        {
                            sb.Append(", ");
                        }

                        first = false;
                        sb.Append(PythonString(key)).Append(": ");
                        Write(value, sb);
                    }

                    sb.Append('}');
                    break;
                case JsonArray array:
                    sb.Append('[');
                    for (int i = 0; i < array.Count; i++)
                    {
                        if (i > 0)
                        {
                            sb.Append(", ");
                        }

                        Write(array[i], sb);
                    }

                    sb.Append(']');
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    sb.Append(PythonString(value.GetValue<string>()));
                    break;
                case JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                    sb.Append(value.GetValueKind() == JsonValueKind.True ? "true" : "false");
                    break;
                case JsonValue value:
                    sb.Append(AsPythonString(value));
                    break;
            }
        }

        static string PythonString(string s)
        {
            var sb = new System.Text.StringBuilder("\"");
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    case '\b': sb.Append("\\b"); break;
                    case '\f': sb.Append("\\f"); break;
                    default:
                        if (c < 0x20 || c > 0x7e)
                        {
                            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            sb.Append(c);
                        }

                        break;
                }
            }

            return sb.Append('"').ToString();
        }
    }
}
