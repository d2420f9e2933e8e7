using Durably.Protocol;

namespace Durably.Engine;

/// <summary>A page of ListDurableExecutionsByFunction.</summary>
/// <param name="DurableExecutions">The executions.</param>
/// <param name="NextMarker">Marker of the next page; null on the last.</param>
public sealed record DurableExecutionPage(IReadOnlyList<DurableExecutionSummary> DurableExecutions, string? NextMarker);
