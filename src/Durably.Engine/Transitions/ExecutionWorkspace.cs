using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>
/// The working copy a transition edits: the loaded header and operations, plus the events, timers and
/// callback ids it adds. <see cref="ToChange"/> turns it into one atomic <see cref="ExecutionChange"/>.
/// Transitions never do I/O; the engine loads the snapshot and commits the change.
/// </summary>
internal sealed class ExecutionWorkspace
{
    private readonly long _expectedVersion;
    private readonly IReadOnlyDictionary<string, OperationRecord> _originalOperations;
    private readonly Dictionary<string, OperationRecord> _operations;
    private readonly Dictionary<string, OperationRecord> _changed = new(StringComparer.Ordinal);
    private readonly List<HistoryEvent> _events = [];
    private readonly Dictionary<(string ExecutionId, string Key), TimerRecord> _timersToSet = [];
    private readonly List<string> _timersToRemove = [];
    private readonly List<CallbackLocation> _callbacks = [];
    private readonly List<StatusChangeEvent> _statusEvents = [];
    private readonly List<ExecutionChange> _createdExecutions = [];
    private readonly ExecutionRecord _original;
    private bool _removeAllTimers;

    public ExecutionWorkspace(ExecutionSnapshot snapshot)
        : this(snapshot.Execution, snapshot.Execution.Version, snapshot.Operations)
    {
    }

    private ExecutionWorkspace(ExecutionRecord execution, long expectedVersion, IReadOnlyDictionary<string, OperationRecord> operations)
    {
        Execution = execution;
        _original = execution;
        _expectedVersion = expectedVersion;
        _originalOperations = operations;
        _operations = new Dictionary<string, OperationRecord>(operations, StringComparer.Ordinal);
    }

    /// <summary>A workspace for an execution that does not exist yet.</summary>
    public static ExecutionWorkspace ForNew(ExecutionRecord execution) =>
        new(execution, expectedVersion: 0, new Dictionary<string, OperationRecord>());

    public ExecutionRecord Execution { get; set; }

    /// <summary>True when the transition changed anything.</summary>
    public bool HasChanges => !ReferenceEquals(Execution, _original) || _changed.Count > 0 || _events.Count > 0
        || _timersToSet.Count > 0 || _timersToRemove.Count > 0 || _removeAllTimers || _createdExecutions.Count > 0;

    /// <summary>True when this transition closed the execution.</summary>
    public bool ClosedExecution { get; set; }

    /// <summary>True when a timer was set (the dispatcher may need to wake earlier).</summary>
    public bool SetAnyTimer => _timersToSet.Count > 0;

    public OperationRecord? Find(string id) => _operations.GetValueOrDefault(id);

    /// <summary>Inserts or replaces an operation, keeping the operation and pending counters right.</summary>
    public OperationRecord Put(Operation operation, int heartbeatTimeoutSeconds = -1, int waitSeconds = -1)
    {
        OperationRecord? existing = Find(operation.Id);
        OperationRecord record;
        if (existing is null)
        {
            record = new OperationRecord(Execution.OperationCount, operation, Math.Max(0, heartbeatTimeoutSeconds), Math.Max(0, waitSeconds));
            Execution = Execution with { OperationCount = Execution.OperationCount + 1 };
        }
        else
        {
            record = existing with
            {
                Operation = operation,
                HeartbeatTimeoutSeconds = heartbeatTimeoutSeconds >= 0 ? heartbeatTimeoutSeconds : existing.HeartbeatTimeoutSeconds,
                WaitSeconds = waitSeconds >= 0 ? waitSeconds : existing.WaitSeconds,
            };
        }

        int pendingDelta = (record.IsPending ? 1 : 0) - (existing?.IsPending == true ? 1 : 0);
        if (pendingDelta != 0)
        {
            Execution = Execution with { PendingOperationCount = Execution.PendingOperationCount + pendingDelta };
        }

        _operations[operation.Id] = record;
        _changed[operation.Id] = record;
        return record;
    }

    /// <summary>Adds payload and error bytes the execution stores to its running total.</summary>
    public void AddBytesWritten(long bytes) => Execution = Execution with { BytesWritten = Execution.BytesWritten + bytes };

    /// <summary>Appends a history event about <paramref name="operation"/> (null: not about an operation).</summary>
    public void AddEvent(string eventType, Operation? operation, HistoryEventDetails details, DateTimeOffset now)
    {
        int eventId = Execution.EventCount + 1;
        Execution = Execution with { EventCount = eventId };
        _events.Add(new HistoryEvent
        {
            EventType = eventType,
            EventId = eventId,
            EventTimestamp = now,
            Id = operation?.Id,
            Name = operation?.Name,
            ParentId = operation?.ParentId,
            SubType = operation?.SubType,
            Details = details,
        });
    }

    public void SetTimer(TimerRecord timer) => _timersToSet[(timer.ExecutionId, timer.Key)] = timer;

    public void RemoveTimer(string key)
    {
        _timersToRemove.Add(key);
        _timersToSet.Remove((Execution.ExecutionId, key));
    }

    public void RemoveAllTimers()
    {
        _removeAllTimers = true;
        _timersToRemove.Clear();
        foreach ((string executionId, string key) in _timersToSet.Keys.Where(k => k.ExecutionId == Execution.ExecutionId).ToArray())
        {
            _timersToSet.Remove((executionId, key));
        }
    }

    public void AddCallback(CallbackLocation callback) => _callbacks.Add(callback);

    /// <summary>Creates another execution (a chained invoke's child) in the same commit as this change.</summary>
    public void CreateExecution(ExecutionChange creation) => _createdExecutions.Add(creation);

    /// <summary>Records the execution's new status as an outbox event of this change (at start and at close).</summary>
    public void AddStatusEvent(DateTimeOffset now) => _statusEvents.Add(StatusChangeEvent.For(Execution, now));

    /// <summary>Undoes every edit: a rejected request leaves the workspace exactly as loaded.</summary>
    public void DiscardChanges()
    {
        Execution = _original;
        _operations.Clear();
        foreach ((string id, OperationRecord record) in _originalOperations)
        {
            _operations[id] = record;
        }

        _changed.Clear();
        _events.Clear();
        _timersToSet.Clear();
        _timersToRemove.Clear();
        _callbacks.Clear();
        _statusEvents.Clear();
        _createdExecutions.Clear();
        _removeAllTimers = false;
    }

    public ExecutionChange ToChange() => new()
    {
        Execution = Execution with { Version = _expectedVersion + 1 },
        ExpectedVersion = _expectedVersion,
        Operations = [.. _changed.Values.OrderBy(record => record.Sequence)],
        Events = [.. _events],
        TimersToSet = [.. _timersToSet.Values],
        TimersToRemove = [.. _timersToRemove],
        RemoveAllTimers = _removeAllTimers,
        NewCallbacks = [.. _callbacks],
        StatusEvents = [.. _statusEvents],
        CreatedExecutions = [.. _createdExecutions],
        WritesLastCheckpoint = !ReferenceEquals(Execution.LastCheckpoint, _original.LastCheckpoint),
    };
}
