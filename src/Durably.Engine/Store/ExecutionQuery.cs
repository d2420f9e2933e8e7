using Durably.Protocol;

namespace Durably.Engine.Storage;

/// <summary>Filters of <see cref="IExecutionStore.ListExecutionsAsync"/>; null means any.</summary>
public sealed record ExecutionQuery
{
    /// <summary>The function (unqualified name).</summary>
    public required string FunctionName { get; init; }

    /// <summary>Only this pinned version.</summary>
    public string? FunctionVersion { get; init; }

    /// <summary>Only this execution name.</summary>
    public string? ExecutionName { get; init; }

    /// <summary>Only execution names that start with this (names are ASCII: <c>[a-zA-Z0-9-_]</c>).</summary>
    public string? ExecutionNamePrefix { get; init; }

    /// <summary>Only these statuses.</summary>
    public IReadOnlyCollection<ExecutionStatus>? Statuses { get; init; }

    /// <summary>Started strictly after.</summary>
    public DateTimeOffset? StartedAfter { get; init; }

    /// <summary>Started strictly before.</summary>
    public DateTimeOffset? StartedBefore { get; init; }
}
