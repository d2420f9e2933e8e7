namespace Durably.Engine.Storage;

/// <summary>
/// A store several engines (nodes) share, such as PostgreSQL. The engine then sleeps at most <see cref="PollInterval"/>
/// between looks at the timers, and wakes at once when another node says it made an invocation due
/// (<see cref="SubscribeTimerChanges"/>); its dispatcher claims timers through
/// <see cref="IExecutionStore.ClaimDueTimersAsync"/>, so two nodes never fire the same one at once.
/// </summary>
public interface ISharedExecutionStore
{
    /// <summary>
    /// The longest a dispatcher sleeps without looking at the timers: how late it notices a timer another node set
    /// without notice, or one a dead node had claimed.
    /// </summary>
    TimeSpan PollInterval { get; }

    /// <summary>Calls <paramref name="wake"/> whenever another node (or this one) made an invocation due; dispose the result to stop.</summary>
    IDisposable SubscribeTimerChanges(Action wake);
}
