using Durably.Protocol;

namespace Durably.Engine.Storage;

/// <summary>
/// Durable storage of executions, operations, history events, timers and the callback index.
/// Every state change is one atomic call; the logic lives in the engine's transitions, the store
/// only persists and indexes (STYLE.md §2.5). One contract suite runs against every store.
/// </summary>
public interface IExecutionStore
{
    /// <summary>
    /// Creates an execution from <paramref name="creation"/> (expected version 0), unless one of the
    /// same function and name is retained at <paramref name="now"/>: then nothing is written and the
    /// existing header is returned. A closed execution whose retention has ended is replaced.
    /// </summary>
    Task<CreateExecutionResult> CreateExecutionAsync(ExecutionChange creation, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Reads an execution's header and the requested operations (missing ids are skipped); null when unknown.</summary>
    Task<ExecutionSnapshot?> LoadAsync(string executionId, IReadOnlyCollection<string> operationIds, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="change"/> atomically; false (nothing written) when the stored version differs.</summary>
    Task<bool> TryCommitAsync(ExecutionChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an execution atomically: header, operations, history events, timers and callback index entries; its
    /// name is free afterwards. False (nothing deleted) when the stored version differs from <paramref name="expectedVersion"/>.
    /// An <paramref name="expectedVersion"/> of 0 means "no such execution" (as for a creation): the timers left under
    /// an unknown id (a notice to a parent already purged) are deleted; false when the execution exists.
    /// </summary>
    Task<bool> PurgeExecutionAsync(string executionId, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Finds the operation a callback id was minted for.</summary>
    Task<CallbackLocation?> FindCallbackAsync(string callbackId, CancellationToken cancellationToken = default);

    /// <summary>Reads operations with <see cref="OperationRecord.Sequence"/> &gt; <paramref name="afterSequence"/>, ascending.</summary>
    Task<IReadOnlyList<OperationRecord>> ReadOperationsAsync(string executionId, int afterSequence, int maxItems, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads history events: ascending with EventId &gt; <paramref name="fromEventId"/>, or, when
    /// <paramref name="descending"/>, descending with EventId &lt; <paramref name="fromEventId"/>.
    /// </summary>
    Task<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string executionId, int fromEventId, int maxItems, bool descending, CancellationToken cancellationToken = default);

    /// <summary>Executions of one function matching <paramref name="query"/>, ordered by start time then id.</summary>
    Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many executions of <paramref name="functionName"/> there are per pinned version and status (only the pairs that
    /// occur), leaving out closed executions whose retention ended at or before <paramref name="now"/>. Counted by the
    /// store (an aggregate query), without reading the executions.
    /// </summary>
    Task<IReadOnlyList<ExecutionCount>> CountExecutionsAsync(string functionName, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Timers due at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<TimerRecord>> GetDueTimersAsync(DateTimeOffset now, int maxItems, CancellationToken cancellationToken = default);

    /// <summary>
    /// The timers the dispatcher fires next: those due at <see cref="DueTimerClaim.Now"/>, earliest first, leaving out
    /// the <see cref="TimerKind.Invoke"/> timers of function versions not in <see cref="DueTimerClaim.HostedVersions"/>.
    /// A store shared by several nodes (<see cref="ISharedExecutionStore"/>) claims them: it makes them due later
    /// (after its claim time), so other nodes skip them while this one fires them, and they come due again if this node
    /// dies first. By default, for a store one engine owns, it is <see cref="GetDueTimersAsync"/>: the one dispatcher
    /// fires every timer, and one whose version it does not host waits for that version (docs/engine.md).
    /// </summary>
    Task<IReadOnlyList<TimerRecord>> ClaimDueTimersAsync(DueTimerClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return GetDueTimersAsync(claim.Now, claim.MaxItems, cancellationToken);
    }

    /// <summary>The earliest due time of any timer, or null when there is none.</summary>
    Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes every <see cref="TimerKind.InvocationLease"/> timer due later than <paramref name="now"/> due at
    /// <paramref name="now"/>, so the invocations they guard are abandoned and retried at once; returns how many
    /// moved. A single-process engine calls it on start: whatever its previous process left in flight is lost.
    /// </summary>
    Task<int> ExpireInvocationLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the outbox: the status-change events written with <see cref="ExecutionChange.StatusEvents"/>, with
    /// <see cref="OutboxEntry.Position"/> &gt; <paramref name="afterPosition"/>, ascending (commit order), at most
    /// <paramref name="maxItems"/>. Purging an execution leaves its events in the outbox.
    /// </summary>
    Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterPosition, int maxItems, CancellationToken cancellationToken = default);

    /// <summary>The position of the last event written to the outbox; 0 when it is empty.</summary>
    Task<long> GetOutboxEndAsync(CancellationToken cancellationToken = default);

    /// <summary>The outbox position <paramref name="consumer"/> has processed up to; 0 when it never saved one.</summary>
    Task<long> GetOutboxCursorAsync(string consumer, CancellationToken cancellationToken = default);

    /// <summary>
    /// Durably saves <paramref name="consumer"/>'s outbox position: the events up to it are delivered to that consumer.
    /// A cursor never moves back: a smaller position than the saved one is ignored.
    /// </summary>
    Task SetOutboxCursorAsync(string consumer, long position, CancellationToken cancellationToken = default);

    /// <summary>Records (or replaces) a dead letter: <paramref name="deadLetter"/>'s consumer gave up on an event.</summary>
    Task AddDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken = default);

    /// <summary>A consumer's dead letters by ascending position, at most <paramref name="maxItems"/>.</summary>
    Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(string consumer, int maxItems, CancellationToken cancellationToken = default);

    /// <summary>Removes a dead letter (it was redelivered); false when there was none.</summary>
    Task<bool> RemoveDeadLetterAsync(string consumer, long position, CancellationToken cancellationToken = default);
}
