using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Durably.Protocol;

/// <summary>
/// The two JSON encodings of the wire model: REST API bodies carry timestamps as epoch
/// seconds, the invocation envelope as integer epoch milliseconds (WIRE-DETAILS.md §H.1).
/// Absent optional fields are omitted, never <c>null</c>.
/// </summary>
public static class DurablyJson
{
    /// <summary>Options for REST API bodies (timestamps in epoch seconds).</summary>
    public static JsonSerializerOptions Api { get; } = Create(new EpochSecondsConverter());

    /// <summary>Options for the invocation envelope (timestamps in epoch milliseconds).</summary>
    public static JsonSerializerOptions Envelope { get; } = Create(new EpochMillisecondsConverter());

    private static JsonSerializerOptions Create(JsonConverter<DateTimeOffset> timestamps)
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNamingPolicy = null,
            PropertyNameCaseInsensitive = false,
            RespectRequiredConstructorParameters = true,
            // The default encoder escapes HTML-sensitive characters, so each '"' in a payload string became the six
            // bytes \u0022 (a 256 KiB payload of quotes, 1.5 MB on the wire). These bodies are only ever sent as
            // application/json, never embedded in HTML, so the relaxed encoder is safe: it escapes '"' as \" and '\'
            // as \\, still escapes control characters, and writes other characters as UTF-8.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(timestamps);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return DateTimeOffset.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            }

            double seconds = reader.GetDouble();
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
            => writer.WriteNumberValue(value.ToUnixTimeMilliseconds() / 1000m);
    }

    private sealed class EpochMillisecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return DateTimeOffset.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            }

            return DateTimeOffset.FromUnixTimeMilliseconds((long)reader.GetDouble());
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
            => writer.WriteNumberValue(value.ToUnixTimeMilliseconds());
    }
}

/// <summary>Writes <see cref="HistoryEvent.Details"/> under <c>&lt;EventType&gt;Details</c>.</summary>
internal sealed class HistoryEventJsonConverter : JsonConverter<HistoryEvent>
{
    public override HistoryEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        JsonElement root = document.RootElement;
        string eventType = root.GetProperty(nameof(HistoryEvent.EventType)).GetString()
            ?? throw new JsonException("EventType must be a string.");
        HistoryEventDetails details = root.TryGetProperty(eventType + "Details", out JsonElement detailsElement)
            ? detailsElement.Deserialize<HistoryEventDetails>(options) ?? new HistoryEventDetails()
            : new HistoryEventDetails();
        return new HistoryEvent
        {
            EventType = eventType,
            EventId = root.GetProperty(nameof(HistoryEvent.EventId)).GetInt32(),
            EventTimestamp = root.GetProperty(nameof(HistoryEvent.EventTimestamp)).Deserialize<DateTimeOffset>(options),
            Id = OptionalString(root, nameof(HistoryEvent.Id)),
            Name = OptionalString(root, nameof(HistoryEvent.Name)),
            ParentId = OptionalString(root, nameof(HistoryEvent.ParentId)),
            SubType = OptionalString(root, nameof(HistoryEvent.SubType)),
            Details = details,
        };
    }

    public override void Write(Utf8JsonWriter writer, HistoryEvent value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(nameof(HistoryEvent.EventType), value.EventType);
        writer.WriteNumber(nameof(HistoryEvent.EventId), value.EventId);
        writer.WritePropertyName(nameof(HistoryEvent.EventTimestamp));
        JsonSerializer.Serialize(writer, value.EventTimestamp, options);
        WriteOptional(writer, nameof(HistoryEvent.Id), value.Id);
        WriteOptional(writer, nameof(HistoryEvent.Name), value.Name);
        WriteOptional(writer, nameof(HistoryEvent.ParentId), value.ParentId);
        WriteOptional(writer, nameof(HistoryEvent.SubType), value.SubType);
        writer.WritePropertyName(value.EventType + "Details");
        JsonSerializer.Serialize(writer, value.Details, options);
        writer.WriteEndObject();
    }

    private static string? OptionalString(JsonElement root, string name)
        => root.TryGetProperty(name, out JsonElement element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
