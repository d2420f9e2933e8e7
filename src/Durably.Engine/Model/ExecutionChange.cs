using Durably.Protocol;

namespace Durably.Engine.Storage;

/// <summary>
/// One atomic change of one execution, as computed by a transition; a store applies all of it or
/// nothing, and only if the stored <see cref="ExecutionRecord.Version"/> equals <see cref="ExpectedVersion"/>.
/// </summary>
public sealed record ExecutionChange
{
    /// <summary>The execution's new header; its <see cref="ExecutionRecord.Version"/> is <c>ExpectedVersion + 1</c>.</summary>
    public required ExecutionRecord Execution { get; init; }

    /// <summary>The version the change was computed from (0 when creating).</summary>
    public required long ExpectedVersion { get; init; }

    /// <summary>Operations inserted or replaced (by id).</summary>
    public IReadOnlyList<OperationRecord> Operations { get; init; } = [];

    /// <summary>Events appended, EventIds already assigned and contiguous.</summary>
    public IReadOnlyList<HistoryEvent> Events { get; init; } = [];

    /// <summary>Timers inserted or replaced; they may belong to other executions (notices, child invokes).</summary>
    public IReadOnlyList<TimerRecord> TimersToSet { get; init; } = [];

    /// <summary>Keys of this execution's timers to delete (before <see cref="TimersToSet"/> is applied).</summary>
    public IReadOnlyList<string> TimersToRemove { get; init; } = [];

    /// <summary>Delete every timer of this execution first (it closed).</summary>
    public bool RemoveAllTimers { get; init; }

    /// <summary>Callback ids minted by this change, indexed to their operation.</summary>
    public IReadOnlyList<CallbackLocation> NewCallbacks { get; init; } = [];

    /// <summary>
    /// Status-change events to append to the outbox in the same transaction: one when the change starts or closes the
    /// execution, none otherwise.
    /// </summary>
    public IReadOnlyList<StatusChangeEvent> StatusEvents { get; init; } = [];

    /// <summary>
    /// Executions created in the same transaction, after this change's version check (a chained invoke's children):
    /// each a creation as for <see cref="IExecutionStore.CreateExecutionAsync"/> (expected version 0), checked against
    /// the names retained at its own <see cref="ExecutionRecord.StartTimestamp"/>. One whose name is retained is skipped
    /// (nothing of it is written) and the rest of the change still applies; when the version check fails, none is created.
    /// </summary>
    public IReadOnlyList<ExecutionChange> CreatedExecutions { get; init; } = [];

    /// <summary>
    /// True when the change sets <see cref="ExecutionRecord.LastCheckpoint"/> (a checkpoint: to its replay, or to null). A
    /// store may keep the replay apart from the header and write it only then; when false, the stored replay stays
    /// whatever <see cref="Execution"/> carries.
    /// </summary>
    public bool WritesLastCheckpoint { get; init; }
}
