using System.Text.Json;

namespace Durably.Engine;

/// <summary>One element of a pattern's array: it matches one value of the event (an array in the event matches when any element does).</summary>
internal abstract class EventPatternCondition
{
    public abstract bool Matches(JsonElement value);

    /// <summary>Parses an array element of the field <paramref name="path"/>.</summary>
    public static EventPatternCondition Parse(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.Object => ParseOperator(element, path),
        JsonValueKind.Array => throw Invalid(path, "an array inside the list of values; give the values in one flat array"),
        _ => new Exact(element),
    };

    public static EventPatternException Invalid(string path, string what) => new($"Event pattern field '{path}': {what}.");

    private static EventPatternCondition ParseOperator(JsonElement element, string path)
    {
        JsonProperty[] properties = [.. element.EnumerateObject()];
        if (properties.Length != 1)
        {
            throw Invalid(path, "a matching operator must be an object with exactly one key (prefix, suffix, equals-ignore-case, anything-but, exists or numeric)");
        }

        JsonProperty property = properties[0];
        return property.Name switch
        {
            "prefix" => new Prefix(StringOperand(property, path)),
            "suffix" => new Suffix(StringOperand(property, path)),
            "equals-ignore-case" => new EqualsIgnoreCase(StringOperand(property, path)),
            "exists" => property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? new Exists(property.Value.GetBoolean())
                : throw Invalid(path, "\"exists\" takes true or false"),
            "numeric" => Numeric.ParseOperand(property.Value, path),
            "anything-but" => AnythingBut.ParseOperand(property.Value, path),
            _ => throw Invalid(path, $"unknown operator \"{property.Name}\" (supported: prefix, suffix, equals-ignore-case, anything-but, exists, numeric)"),
        };
    }

    private static string StringOperand(JsonProperty property, string path) => property.Value.ValueKind == JsonValueKind.String
        ? property.Value.GetString()!
        : throw Invalid(path, $"\"{property.Name}\" takes a string");

    /// <summary>Equal JSON values: strings by ordinal, numbers by value (300 equals 300.0), and true, false, null.</summary>
    private static bool SameValue(JsonElement expected, JsonElement actual) => expected.ValueKind == actual.ValueKind && expected.ValueKind switch
    {
        JsonValueKind.String => string.Equals(expected.GetString(), actual.GetString(), StringComparison.Ordinal),
        JsonValueKind.Number => expected.GetDouble() == actual.GetDouble(),
        _ => true,
    };

    /// <summary>An exact value: a string, number, true, false or null.</summary>
    private sealed class Exact(JsonElement expected) : EventPatternCondition
    {
        private readonly JsonElement _expected = expected.Clone();

        public override bool Matches(JsonElement value) => SameValue(_expected, value);
    }

    private sealed class Prefix(string prefix) : EventPatternCondition
    {
        public override bool Matches(JsonElement value) =>
            value.ValueKind == JsonValueKind.String && value.GetString()!.StartsWith(prefix, StringComparison.Ordinal);
    }

    private sealed class Suffix(string suffix) : EventPatternCondition
    {
        public override bool Matches(JsonElement value) =>
            value.ValueKind == JsonValueKind.String && value.GetString()!.EndsWith(suffix, StringComparison.Ordinal);
    }

    private sealed class EqualsIgnoreCase(string expected) : EventPatternCondition
    {
        public override bool Matches(JsonElement value) =>
            value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), expected, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>exists</c>: decided by the field's presence (see <see cref="EventPattern"/>), never by a value.</summary>
    internal sealed class Exists(bool present) : EventPatternCondition
    {
        public bool Present { get; } = present;

        public override bool Matches(JsonElement value) => Present;
    }

    /// <summary><c>anything-but</c>: a value, a list of strings or of numbers, or a prefix / suffix / equals-ignore-case.</summary>
    private sealed class AnythingBut(EventPatternCondition excluded) : EventPatternCondition
    {
        public override bool Matches(JsonElement value) => !excluded.Matches(value);

        public static AnythingBut ParseOperand(JsonElement operand, string path)
        {
            switch (operand.ValueKind)
            {
                case JsonValueKind.String or JsonValueKind.Number:
                    return new AnythingBut(new Exact(operand));
                case JsonValueKind.Array:
                    JsonElement[] values = [.. operand.EnumerateArray()];
                    bool allStrings = values.All(v => v.ValueKind == JsonValueKind.String);
                    bool allNumbers = values.All(v => v.ValueKind == JsonValueKind.Number);
                    if (values.Length == 0 || !(allStrings || allNumbers))
                    {
                        throw Invalid(path, "\"anything-but\" takes a non-empty list of only strings or only numbers");
                    }

                    return new AnythingBut(new AnyOf([.. values.Select(v => (EventPatternCondition)new Exact(v))]));
                case JsonValueKind.Object:
                    EventPatternCondition inner = ParseOperator(operand, path);
                    return inner is Prefix or Suffix or EqualsIgnoreCase
                        ? new AnythingBut(inner)
                        : throw Invalid(path, "\"anything-but\" takes an object only with prefix, suffix or equals-ignore-case");
                default:
                    throw Invalid(path, "\"anything-but\" takes a string, a number, a list, or an object with prefix, suffix or equals-ignore-case");
            }
        }
    }

    private sealed class AnyOf(IReadOnlyList<EventPatternCondition> conditions) : EventPatternCondition
    {
        public override bool Matches(JsonElement value) => conditions.Any(condition => condition.Matches(value));
    }

    /// <summary><c>numeric</c>: one or two comparisons (<c>=</c>, or at most one lower and one upper bound) on a number.</summary>
    private sealed class Numeric(IReadOnlyList<(string Operator, double Bound)> comparisons) : EventPatternCondition
    {
        public override bool Matches(JsonElement value) => value.ValueKind == JsonValueKind.Number
            && comparisons.All(comparison => Compare(comparison.Operator, value.GetDouble(), comparison.Bound));

        public static Numeric ParseOperand(JsonElement operand, string path)
        {
            JsonElement[] items = operand.ValueKind == JsonValueKind.Array ? [.. operand.EnumerateArray()] : [];
            if (items.Length is not (2 or 4))
            {
                throw Invalid(path, "\"numeric\" takes [operator, number] or [operator, number, operator, number], for example [\">\", 0, \"<=\", 5]");
            }

            var comparisons = new List<(string, double)>();
            for (int index = 0; index < items.Length; index += 2)
            {
                string? op = items[index].ValueKind == JsonValueKind.String ? items[index].GetString() : null;
                if (op is not ("=" or "<" or "<=" or ">" or ">="))
                {
                    throw Invalid(path, $"\"numeric\" operator {items[index].GetRawText()} is not one of =, <, <=, >, >=");
                }

                if (items[index + 1].ValueKind != JsonValueKind.Number)
                {
                    throw Invalid(path, $"\"numeric\" operator \"{op}\" needs a number, not {items[index + 1].GetRawText()}");
                }

                comparisons.Add((op, items[index + 1].GetDouble()));
            }

            int lower = comparisons.Count(c => c.Item1 is ">" or ">=");
            int upper = comparisons.Count(c => c.Item1 is "<" or "<=");
            if (items.Length == 4 && (lower != 1 || upper != 1))
            {
                throw Invalid(path, "\"numeric\" with two comparisons needs one lower bound (> or >=) and one upper bound (< or <=)");
            }

            return new Numeric(comparisons);
        }

        private static bool Compare(string op, double value, double bound) => op switch
        {
            "=" => value == bound,
            "<" => value < bound,
            "<=" => value <= bound,
            ">" => value > bound,
            _ => value >= bound,
        };
    }
}
