using System.Text.Json;

namespace Durably;

/// <summary>Turns operation values into payload strings and back.</summary>
public interface IDurableSerializer
{
    /// <summary>Serializes; null records no payload.</summary>
    string? Serialize<T>(T value);

    /// <summary>Deserializes; no payload gives <c>default</c>.</summary>
    T? Deserialize<T>(string? payload);
}

/// <summary>The default serializer, on System.Text.Json.</summary>
public sealed class JsonDurableSerializer : IDurableSerializer
{
    private readonly JsonSerializerOptions _options;

    /// <summary>Creates a serializer; null options means <see cref="JsonSerializerOptions.Web"/>-like defaults.</summary>
    public JsonDurableSerializer(JsonSerializerOptions? options = null)
    {
        _options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
    }

    /// <summary>The shared default instance.</summary>
    public static JsonDurableSerializer Default { get; } = new();

    /// <inheritdoc />
    public string? Serialize<T>(T value) => JsonSerializer.Serialize(value, _options);

    /// <inheritdoc />
    public T? Deserialize<T>(string? payload)
    {
        if (string.IsNullOrEmpty(payload))
        {
            return default;
        }

        if (typeof(T) == typeof(string) && payload != "null" && !IsJsonString(payload))
        {
            // A raw callback body that is not a JSON string arrives verbatim for T = string (API.md §1).
            return (T)(object)payload;
        }

        return JsonSerializer.Deserialize<T>(payload, _options);
    }

    private static bool IsJsonString(string payload)
    {
        if (payload[0] != '"')
        {
            return false;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
