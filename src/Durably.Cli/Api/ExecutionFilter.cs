namespace Durably.Cli.Api;

/// <summary>The filters of ListDurableExecutionsByFunction.</summary>
internal sealed record ExecutionFilter
{
    /// <summary>Wire status names (RUNNING, SUCCEEDED, …); any of them.</summary>
    public IReadOnlyList<string> Statuses { get; init; } = [];

    /// <summary>Only this execution name.</summary>
    public string? Name { get; init; }

    /// <summary>Started after.</summary>
    public DateTimeOffset? StartedAfter { get; init; }

    /// <summary>Started before.</summary>
    public DateTimeOffset? StartedBefore { get; init; }

    /// <summary>Oldest first (the server's default is newest first).</summary>
    public bool Reverse { get; init; }

    /// <summary>Page size, 1..1000.</summary>
    public int? MaxItems { get; init; }
}
