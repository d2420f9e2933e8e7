using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Durably.Protocol;

namespace Durably.Engine.Storage;

/// <summary>
/// The JSON of stored records: the protocol's names and enums, ISO-8601 timestamps at full precision (what is
/// read back equals what was written), nulls and computed properties left out.
/// </summary>
internal static class StoreJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static readonly JsonTypeInfo<ExecutionRecord> Execution = TypeInfo<ExecutionRecord>();
    public static readonly JsonTypeInfo<OperationRecord> Operation = TypeInfo<OperationRecord>();
    public static readonly JsonTypeInfo<HistoryEvent> Event = TypeInfo<HistoryEvent>();
    public static readonly JsonTypeInfo<StatusChangeEvent> StatusEvent = TypeInfo<StatusChangeEvent>();
    public static readonly JsonTypeInfo<CheckpointReplay> Replay = TypeInfo<CheckpointReplay>();

    public static string Write<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.Serialize(value, typeInfo);

    public static byte[] WriteUtf8<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    public static T Read<T>(string json, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(json, typeInfo) ?? throw new JsonException($"A stored {typeof(T).Name} is null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipComputedProperties } },
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Get-only properties (<see cref="ExecutionRecord.IsClosed"/>, <see cref="OperationRecord.IsPending"/>) are derived, not stored.</summary>
    private static void SkipComputedProperties(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (int index = typeInfo.Properties.Count - 1; index >= 0; index--)
        {
            if (typeInfo.Properties[index].Set is null && typeInfo.Properties[index].AssociatedParameter is null)
            {
                typeInfo.Properties.RemoveAt(index);
            }
        }
    }

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}
