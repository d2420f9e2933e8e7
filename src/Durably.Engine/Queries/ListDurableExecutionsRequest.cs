using Durably.Protocol;

namespace Durably.Engine;

/// <summary>The filters of ListDurableExecutionsByFunction (PROTOCOL.md §2.4).</summary>
public sealed record ListDurableExecutionsRequest
{
    /// <summary>Function name, <c>name:version</c> or function ARN.</summary>
    public required string FunctionName { get; init; }

    /// <summary>Only executions pinned to this version.</summary>
    public string? Qualifier { get; init; }

    /// <summary>Only this execution name.</summary>
    public string? DurableExecutionName { get; init; }

    /// <summary>Only execution names that start with this (1-64 of <c>[a-zA-Z0-9-_]</c>).</summary>
    public string? DurableExecutionNamePrefix { get; init; }

    /// <summary>Only these statuses.</summary>
    public IReadOnlyCollection<ExecutionStatus>? Statuses { get; init; }

    /// <summary>Started after.</summary>
    public DateTimeOffset? StartedAfter { get; init; }

    /// <summary>Started before.</summary>
    public DateTimeOffset? StartedBefore { get; init; }

    /// <summary>True: oldest first; false (default): newest first.</summary>
    public bool ReverseOrder { get; init; }

    /// <summary>Page marker.</summary>
    public string? Marker { get; init; }

    /// <summary>Page size, 0..1000 (0: 100).</summary>
    public int? MaxItems { get; init; }
}
