namespace Durably.Engine.Storage;

/// <summary>
/// A status-change event in a store's outbox, at its <paramref name="Position"/>: positions grow with every event written,
/// in commit order, and are never reused.
/// </summary>
/// <param name="Position">The event's place in the outbox (1, 2, 3 … with possible gaps).</param>
/// <param name="Event">The event.</param>
public sealed record OutboxEntry(long Position, StatusChangeEvent Event);
