using System.Text.Json;

namespace Durably.Engine;

/// <summary>
/// An EventBridge event pattern (docs/events.md): a JSON object whose keys are event fields. A key maps to an object
/// (a pattern for the nested object) or to an array of conditions, any of which may match: exact values, or operators
/// <c>prefix</c>, <c>suffix</c>, <c>equals-ignore-case</c>, <c>anything-but</c>, <c>exists</c>, <c>numeric</c>.
/// Every key must match. Only <c>exists: false</c> matches a missing field; a field holding an array matches when any
/// of its elements does.
/// </summary>
public sealed class EventPattern
{
    private readonly IReadOnlyList<(string Name, EventPattern? Nested, IReadOnlyList<EventPatternCondition> Conditions)> _fields;

    private EventPattern(IReadOnlyList<(string, EventPattern?, IReadOnlyList<EventPatternCondition>)> fields, string json)
    {
        _fields = fields;
        Json = json;
    }

    /// <summary>The pattern as it was given.</summary>
    public string Json { get; }

    /// <summary>Parses and checks <paramref name="json"/>.</summary>
    /// <exception cref="EventPatternException">The pattern is not valid; the message says where and why.</exception>
    public static EventPattern Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new EventPatternException($"The event pattern is not valid JSON: {exception.Message}", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.EnumerateObject().Any())
            {
                throw new EventPatternException("An event pattern must be a JSON object with at least one field, for example {\"source\": [\"durably\"]}.");
            }

            return Parse(document.RootElement, prefix: null, json);
        }
    }

    /// <summary>True when <paramref name="eventJson"/> (an event's JSON object) matches the pattern.</summary>
    public bool Matches(JsonElement eventJson)
    {
        foreach ((string name, EventPattern? nested, IReadOnlyList<EventPatternCondition> conditions) in _fields)
        {
            JsonElement value = default;
            bool present = eventJson.ValueKind == JsonValueKind.Object && eventJson.TryGetProperty(name, out value);
            if (nested is not null ? !MatchesNested(nested, present, value) : !MatchesField(conditions, present, value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="statusEvent"/> matches the pattern.</summary>
    public bool Matches(StatusChangeEvent statusEvent)
    {
        using JsonDocument document = JsonSerializer.SerializeToDocument(statusEvent);
        return Matches(document.RootElement);
    }

    private static EventPattern Parse(JsonElement element, string? prefix, string json)
    {
        var fields = new List<(string, EventPattern?, IReadOnlyList<EventPatternCondition>)>();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string path = prefix is null ? property.Name : $"{prefix}.{property.Name}";
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    fields.Add((property.Name, Parse(property.Value, path, json), []));
                    break;
                case JsonValueKind.Array when property.Value.GetArrayLength() > 0:
                    fields.Add((property.Name, null, [.. property.Value.EnumerateArray().Select(item => EventPatternCondition.Parse(item, path))]));
                    break;
                case JsonValueKind.Array:
                    throw EventPatternCondition.Invalid(path, "the list of values is empty");
                default:
                    throw EventPatternCondition.Invalid(path, $"values must be given in an array, like [{property.Value.GetRawText()}]");
            }
        }

        return new EventPattern(fields, json);
    }

    /// <summary>A missing field matches only <c>exists: false</c>; a present one any other condition, element by element for an array.</summary>
    private static bool MatchesField(IReadOnlyList<EventPatternCondition> conditions, bool present, JsonElement value)
    {
        foreach (EventPatternCondition condition in conditions)
        {
            bool matched = condition is EventPatternCondition.Exists exists
                ? exists.Present == present
                : present && (value.ValueKind == JsonValueKind.Array
                    ? value.EnumerateArray().Any(condition.Matches)
                    : condition.Matches(value));
            if (matched)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A nested pattern over a missing field sees an empty object (so <c>exists: false</c> inside it matches); over an array, any element.</summary>
    private static bool MatchesNested(EventPattern nested, bool present, JsonElement value)
    {
        if (present && value.ValueKind == JsonValueKind.Array)
        {
            return value.EnumerateArray().Any(nested.Matches);
        }

        return nested.Matches(present ? value : default);
    }
}
