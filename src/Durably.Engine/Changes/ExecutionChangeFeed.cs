using Durably.Engine.Storage;

namespace Durably.Engine;

/// <summary>
/// The engine's in-process feed of committed execution changes (a status change or new history events), for the live
/// console. After each commit the engine publishes one notice into a ring buffer of the newest <see cref="Capacity"/>;
/// subscribers read it at their own pace through a position, so publishing never waits for a subscriber and a
/// subscriber costs no memory beyond its position: one that falls further behind than the buffer gets a reset.
/// </summary>
public sealed class ExecutionChangeFeed
{
    /// <summary>How many notices the buffer keeps.</summary>
    public const int Capacity = 10_000;

    private readonly ExecutionChangeNotice?[] _buffer = new ExecutionChangeNotice?[Capacity];
    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;

    // The newest version published per execution that still has a notice in the buffer: a commit whose publisher was
    // overtaken by the next commit of the same execution must not publish its older state last.
    private readonly Dictionary<string, long> _newestVersions = new(StringComparer.Ordinal);
    private TaskCompletionSource _nextChange = NewSignal();
    private long _firstSequence;
    private long _lastSequence;
    private int _subscribers;
    private TaskCompletionSource _subscribersChanged = NewSignal();

    /// <summary>Creates an empty feed whose sequence numbers start above any an earlier process can have used.</summary>
    public ExecutionChangeFeed(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        // Microseconds since the epoch: a restarted server continues above its predecessor's numbers (unless it published
        // more than a million notices a second), so a client resuming with an old Last-Event-ID gets a reset, not a gap.
        // Below 2^53, so a browser reads it exactly.
        _lastSequence = Math.Max(0, timeProvider.GetUtcNow().ToUnixTimeMilliseconds()) * 1000;
        _firstSequence = _lastSequence + 1;
    }

    /// <summary>The sequence number of the newest notice (or, before any, one below the first).</summary>
    public long LastSequence
    {
        get
        {
            lock (_lock)
            {
                return _lastSequence;
            }
        }
    }

    /// <summary>How many subscriptions are open.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers);

    /// <summary>
    /// Completes once <see cref="SubscriberCount"/> is <paramref name="count"/>: a signal, not a poll, e.g. to know that a
    /// disconnected client's subscription was closed, or that every stream is gone before a shutdown.
    /// </summary>
    public async Task WhenSubscriberCountIsAsync(int count, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            // Take the signal before reading the count, so a change in between is not missed.
            Task changed = Volatile.Read(ref _subscribersChanged).Task;
            if (SubscriberCount == count)
            {
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal TimeProvider TimeProvider => _timeProvider;

    /// <summary>
    /// Opens a subscription that reads the notices after <paramref name="afterSequence"/> (a <c>Last-Event-ID</c>), or
    /// only new ones when null. Dispose it to unsubscribe.
    /// </summary>
    public ExecutionChangeSubscription Subscribe(ExecutionChangeFilter filter, long? afterSequence = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Interlocked.Increment(ref _subscribers);
        SubscribersChanged();
        return new ExecutionChangeSubscription(this, filter, afterSequence ?? LastSequence, Unsubscribe);
    }

    /// <summary>
    /// Publishes the state of <paramref name="execution"/> right after a committed change; nothing when a later change of
    /// the same execution was already published (its committer got there first).
    /// </summary>
    internal void Publish(ExecutionRecord execution, IReadOnlyList<StatusChangeEvent>? statusEvents = null)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            bool overtaken = _newestVersions.TryGetValue(execution.ExecutionId, out long newest) && newest >= execution.Version;
            if (overtaken && statusEvents is not { Count: > 0 })
            {
                return;
            }

            long sequence = ++_lastSequence;
            ref ExecutionChangeNotice? slot = ref _buffer[sequence % Capacity];
            if (slot is { } evicted && _newestVersions.TryGetValue(evicted.ExecutionId, out long version) && version == evicted.ExecutionVersion)
            {
                _newestVersions.Remove(evicted.ExecutionId);
            }

            slot = new ExecutionChangeNotice(sequence, execution.ExecutionId, execution.DurableExecutionArn, execution.ExecutionName,
                execution.FunctionName, execution.FunctionArn, execution.FunctionVersion, execution.Status, execution.StartTimestamp, execution.EndTimestamp,
                execution.EventCount, execution.Version, statusEvents ?? [], overtaken);
            if (!overtaken)
            {
                _newestVersions[execution.ExecutionId] = execution.Version;
            }

            _firstSequence = Math.Max(_firstSequence, sequence - Capacity + 1);
            changed = _nextChange;
            _nextChange = NewSignal();
        }

        // Waiters continue asynchronously: the committing thread never runs subscriber code.
        changed.TrySetResult();
    }

    /// <summary>
    /// Copies the notices after <paramref name="position"/> that match <paramref name="filter"/> (at most <paramref name="maxItems"/>)
    /// and moves the position past what it read; a reset when the notices after the position are no longer buffered.
    /// </summary>
    internal ExecutionChangeBatch Read(ref long position, ExecutionChangeFilter filter, int maxItems, out Task nextChange)
    {
        lock (_lock)
        {
            nextChange = _nextChange.Task;
            if (position < _firstSequence - 1 || position > _lastSequence)
            {
                position = _lastSequence;
                return new ExecutionChangeBatch([], Reset: true);
            }

            var notices = new List<ExecutionChangeNotice>();
            while (position < _lastSequence && notices.Count < maxItems)
            {
                ExecutionChangeNotice notice = _buffer[++position % Capacity]!;
                if (filter.Matches(notice))
                {
                    notices.Add(notice);
                }
            }

            return new ExecutionChangeBatch(notices, Reset: false);
        }
    }

    private void Unsubscribe()
    {
        Interlocked.Decrement(ref _subscribers);
        SubscribersChanged();
    }

    private void SubscribersChanged() => Interlocked.Exchange(ref _subscribersChanged, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
