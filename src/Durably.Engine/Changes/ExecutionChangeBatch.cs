namespace Durably.Engine;

/// <summary>What <see cref="ExecutionChangeSubscription.ReadAsync"/> returns: the next notices, or a reset.</summary>
/// <param name="Notices">The notices after the subscriber's position that match its filter, in sequence order (empty when the wait timed out).</param>
/// <param name="Reset">
/// True when notices the subscriber had not read left the feed's buffer (it resumed from too old a position, or read too slowly):
/// it missed changes and must reload what it shows. <paramref name="Notices"/> is then empty and reading goes on from the newest.
/// </param>
public sealed record ExecutionChangeBatch(IReadOnlyList<ExecutionChangeNotice> Notices, bool Reset);
