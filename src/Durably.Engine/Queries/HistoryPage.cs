using Durably.Protocol;

namespace Durably.Engine;

/// <summary>A page of GetDurableExecutionHistory.</summary>
/// <param name="Events">The events.</param>
/// <param name="NextMarker">Marker of the next page; null on the last.</param>
public sealed record HistoryPage(IReadOnlyList<HistoryEvent> Events, string? NextMarker);
