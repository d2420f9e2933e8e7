using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>
/// A "Durable Execution Status Change" event in EventBridge's envelope (PROTOCOL.md §4), with <c>source</c>
/// <c>durably</c>. Serialized as is, it is the JSON a subscriber receives.
/// </summary>
public sealed record StatusChangeEvent
{
    /// <summary>The <c>source</c> of every status-change event.</summary>
    public const string EventSource = "durably";

    /// <summary>The <c>detail-type</c> of every status-change event.</summary>
    public const string EventDetailType = "Durable Execution Status Change";

    /// <summary>The envelope version, always "0".</summary>
    [JsonPropertyName("version")]
    public string Version { get; init; } = "0";

    /// <summary>
    /// The event id: a UUID derived from the execution id and the status, so the same change always has the same id
    /// (an execution reaches each status at most once).
    /// </summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>Always <see cref="EventDetailType"/>.</summary>
    [JsonPropertyName("detail-type")]
    public string DetailType { get; init; } = EventDetailType;

    /// <summary>Always <see cref="EventSource"/>.</summary>
    [JsonPropertyName("source")]
    public string Source { get; init; } = EventSource;

    /// <summary>The account of the function ARN.</summary>
    [JsonPropertyName("account")]
    public required string Account { get; init; }

    /// <summary>When the status changed, ISO-8601 UTC to the second.</summary>
    [JsonPropertyName("time")]
    public required string Time { get; init; }

    /// <summary>The region of the function ARN.</summary>
    [JsonPropertyName("region")]
    public required string Region { get; init; }

    /// <summary>Always empty.</summary>
    [JsonPropertyName("resources")]
    public IReadOnlyList<string> Resources { get; init; } = [];

    /// <summary>What changed.</summary>
    [JsonPropertyName("detail")]
    public required StatusChangeDetail Detail { get; init; }

    /// <summary>The event of <paramref name="execution"/> reaching its current status at <paramref name="now"/>.</summary>
    public static StatusChangeEvent For(ExecutionRecord execution, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(execution);
        string[] arn = execution.FunctionArn.Split(':');
        return new StatusChangeEvent
        {
            Id = DerivedId(execution.ExecutionId, execution.Status),
            Account = arn.Length > 4 ? arn[4] : string.Empty,
            Region = arn.Length > 3 ? arn[3] : string.Empty,
            Time = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Detail = new StatusChangeDetail
            {
                DurableExecutionArn = execution.DurableExecutionArn,
                DurableExecutionName = execution.ExecutionName,
                FunctionArn = execution.FunctionArn,
                Status = execution.Status,
                StartTimestamp = Timestamp(execution.StartTimestamp),
                EndTimestamp = execution.EndTimestamp is { } end ? Timestamp(end) : null,
            },
        };
    }

    private static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string DerivedId(string executionId, ExecutionStatus status)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{executionId}/{status}"));
        // Shaped as a version-8 (custom) UUID of RFC 9562.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}

/// <summary>The <c>detail</c> of a <see cref="StatusChangeEvent"/>: camelCase keys, ISO-8601 timestamps.</summary>
public sealed record StatusChangeDetail
{
    /// <summary>The execution ARN.</summary>
    [JsonPropertyName("durableExecutionArn")]
    public required string DurableExecutionArn { get; init; }

    /// <summary>The execution name.</summary>
    [JsonPropertyName("durableExecutionName")]
    public required string DurableExecutionName { get; init; }

    /// <summary>The qualified function ARN (with the pinned version).</summary>
    [JsonPropertyName("functionArn")]
    public required string FunctionArn { get; init; }

    /// <summary>The new status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT or STOPPED.</summary>
    [JsonPropertyName("status")]
    public required ExecutionStatus Status { get; init; }

    /// <summary>When the execution started.</summary>
    [JsonPropertyName("startTimestamp")]
    public required string StartTimestamp { get; init; }

    /// <summary>When it closed; terminal statuses only.</summary>
    [JsonPropertyName("endTimestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EndTimestamp { get; init; }
}
