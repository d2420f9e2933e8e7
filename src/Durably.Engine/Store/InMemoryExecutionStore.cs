using Durably.Protocol;

namespace Durably.Engine.Storage;

/// <summary>An <see cref="IExecutionStore"/> in process memory: for tests and single-process hosts that need no durability.</summary>
public sealed class InMemoryExecutionStore : IExecutionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredExecution> _executions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Function, string Name), string> _byName = [];
    private readonly Dictionary<string, CallbackLocation> _callbacks = new(StringComparer.Ordinal);
    private readonly Dictionary<(string ExecutionId, string Key), TimerRecord> _timers = [];
    private readonly SortedSet<(DateTimeOffset DueAt, string ExecutionId, string Key)> _timersByDue = [];
    private readonly Dictionary<string, HashSet<string>> _timerKeysByExecution = new(StringComparer.Ordinal);
    private readonly List<OutboxEntry> _outbox = [];
    private readonly Dictionary<string, long> _outboxCursors = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(string Consumer, long Position), DeadLetter> _deadLetters = [];

    /// <inheritdoc />
    public Task<CreateExecutionResult> CreateExecutionAsync(ExecutionChange creation, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(creation);
        lock (_lock)
        {
            return Task.FromResult(Create(creation, now));
        }
    }

    /// <inheritdoc />
    public Task<ExecutionSnapshot?> LoadAsync(string executionId, IReadOnlyCollection<string> operationIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationIds);
        lock (_lock)
        {
            if (!_executions.TryGetValue(executionId, out StoredExecution? stored))
            {
                return Task.FromResult<ExecutionSnapshot?>(null);
            }

            var operations = new Dictionary<string, OperationRecord>(operationIds.Count, StringComparer.Ordinal);
            foreach (string id in operationIds)
            {
                if (stored.OperationsById.TryGetValue(id, out OperationRecord? operation))
                {
                    operations[id] = operation;
                }
            }

            return Task.FromResult<ExecutionSnapshot?>(new ExecutionSnapshot(stored.Execution, operations));
        }
    }

    /// <inheritdoc />
    public Task<bool> TryCommitAsync(ExecutionChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            if (!_executions.TryGetValue(change.Execution.ExecutionId, out StoredExecution? stored)
                || stored.Execution.Version != change.ExpectedVersion)
            {
                return Task.FromResult(false);
            }

            stored.Execution = change.WritesLastCheckpoint ? change.Execution : change.Execution with { LastCheckpoint = stored.Execution.LastCheckpoint };
            Apply(stored, change);
            foreach (ExecutionChange creation in change.CreatedExecutions)
            {
                Create(creation, creation.Execution.StartTimestamp);
            }

            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> PurgeExecutionAsync(string executionId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            long storedVersion = _executions.TryGetValue(executionId, out StoredExecution? stored) ? stored.Execution.Version : 0;
            if (storedVersion != expectedVersion)
            {
                return Task.FromResult(false);
            }

            if (stored is null)
            {
                RemoveAllTimers(executionId);
            }
            else
            {
                Remove(executionId);
            }

            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<CallbackLocation?> FindCallbackAsync(string callbackId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_callbacks.GetValueOrDefault(callbackId));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OperationRecord>> ReadOperationsAsync(string executionId, int afterSequence, int maxItems, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_executions.TryGetValue(executionId, out StoredExecution? stored))
            {
                return Task.FromResult<IReadOnlyList<OperationRecord>>([]);
            }

            int start = Math.Max(0, afterSequence + 1);
            int count = Math.Max(0, Math.Min(maxItems, stored.OperationsInOrder.Count - start));
            return Task.FromResult<IReadOnlyList<OperationRecord>>(stored.OperationsInOrder.GetRange(start, count).ToArray());
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string executionId, int fromEventId, int maxItems, bool descending, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_executions.TryGetValue(executionId, out StoredExecution? stored))
            {
                return Task.FromResult<IReadOnlyList<HistoryEvent>>([]);
            }

            List<HistoryEvent> events = stored.Events;
            if (!descending)
            {
                int start = Math.Max(0, fromEventId);
                int count = Math.Max(0, Math.Min(maxItems, events.Count - start));
                return Task.FromResult<IReadOnlyList<HistoryEvent>>(events.GetRange(start, count).ToArray());
            }

            // EventId n sits at index n - 1; descending reads start just below fromEventId.
            int end = Math.Min(events.Count, fromEventId - 1);
            var page = new List<HistoryEvent>();
            for (int index = end - 1; index >= 0 && page.Count < maxItems; index--)
            {
                page.Add(events[index]);
            }

            return Task.FromResult<IReadOnlyList<HistoryEvent>>(page);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_lock)
        {
            ExecutionRecord[] matches = _executions.Values
                .Select(stored => stored.Execution)
                .Where(execution => execution.FunctionName == query.FunctionName
                    && (query.FunctionVersion is null || execution.FunctionVersion == query.FunctionVersion)
                    && (query.ExecutionName is null || execution.ExecutionName == query.ExecutionName)
                    && (query.ExecutionNamePrefix is null || execution.ExecutionName.StartsWith(query.ExecutionNamePrefix, StringComparison.Ordinal))
                    && (query.Statuses is null || query.Statuses.Count == 0 || query.Statuses.Contains(execution.Status))
                    && (query.StartedAfter is null || execution.StartTimestamp > query.StartedAfter)
                    && (query.StartedBefore is null || execution.StartTimestamp < query.StartedBefore))
                .OrderBy(execution => execution.StartTimestamp)
                .ThenBy(execution => execution.ExecutionId, StringComparer.Ordinal)
                .ToArray();
            return Task.FromResult<IReadOnlyList<ExecutionRecord>>(matches);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExecutionCount>> CountExecutionsAsync(string functionName, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ExecutionCount[] counts = [.. _executions.Values
                .Select(stored => stored.Execution)
                .Where(execution => execution.FunctionName == functionName && !execution.IsExpiredAt(now))
                .GroupBy(execution => (execution.FunctionVersion, execution.Status))
                .Select(group => new ExecutionCount(group.Key.FunctionVersion, group.Key.Status, group.LongCount()))];
            return Task.FromResult<IReadOnlyList<ExecutionCount>>(counts);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TimerRecord>> GetDueTimersAsync(DateTimeOffset now, int maxItems, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var due = new List<TimerRecord>();
            foreach ((DateTimeOffset dueAt, string executionId, string key) in _timersByDue)
            {
                if (dueAt > now || due.Count >= maxItems)
                {
                    break;
                }

                due.Add(_timers[(executionId, key)]);
            }

            return Task.FromResult<IReadOnlyList<TimerRecord>>(due);
        }
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_timersByDue.Count == 0 ? (DateTimeOffset?)null : _timersByDue.Min.DueAt);
        }
    }

    /// <inheritdoc />
    public Task<int> ExpireInvocationLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            TimerRecord[] leases = [.. _timers.Values.Where(timer => timer.Kind == TimerKind.InvocationLease && timer.DueAt > now)];
            foreach (TimerRecord lease in leases)
            {
                RemoveTimer(lease.ExecutionId, lease.Key);
                AddTimer(lease with { DueAt = now });
            }

            return Task.FromResult(leases.Length);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterPosition, int maxItems, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            // Positions are 1, 2, 3 …: the entry at position p is at index p - 1.
            int start = (int)Math.Clamp(afterPosition, 0, _outbox.Count);
            int count = Math.Max(0, Math.Min(maxItems, _outbox.Count - start));
            return Task.FromResult<IReadOnlyList<OutboxEntry>>(_outbox.GetRange(start, count).ToArray());
        }
    }

    /// <inheritdoc />
    public Task<long> GetOutboxEndAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult((long)_outbox.Count);
        }
    }

    /// <inheritdoc />
    public Task<long> GetOutboxCursorAsync(string consumer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        lock (_lock)
        {
            return Task.FromResult(_outboxCursors.GetValueOrDefault(consumer));
        }
    }

    /// <inheritdoc />
    public Task SetOutboxCursorAsync(string consumer, long position, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        lock (_lock)
        {
            _outboxCursors[consumer] = Math.Max(position, _outboxCursors.GetValueOrDefault(consumer));
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task AddDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        lock (_lock)
        {
            _deadLetters[(deadLetter.Consumer, deadLetter.Position)] = deadLetter;
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(string consumer, int maxItems, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<DeadLetter>>(
                [.. _deadLetters.Values.Where(letter => letter.Consumer == consumer).Take(Math.Max(0, maxItems))]);
        }
    }

    /// <inheritdoc />
    public Task<bool> RemoveDeadLetterAsync(string consumer, long position, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_deadLetters.Remove((consumer, position)));
        }
    }

    /// <summary>Creates an execution unless its name is retained at <paramref name="now"/>; under the lock.</summary>
    private CreateExecutionResult Create(ExecutionChange creation, DateTimeOffset now)
    {
        ExecutionRecord execution = creation.Execution;
        if (_byName.TryGetValue((execution.FunctionName, execution.ExecutionName), out string? existingId))
        {
            ExecutionRecord existing = _executions[existingId].Execution;
            if (!existing.IsExpiredAt(now))
            {
                return new CreateExecutionResult(existing, Created: false);
            }

            Remove(existingId);
        }

        var stored = new StoredExecution(execution);
        _executions.Add(execution.ExecutionId, stored);
        _byName[(execution.FunctionName, execution.ExecutionName)] = execution.ExecutionId;
        Apply(stored, creation);
        return new CreateExecutionResult(execution, Created: true);
    }

    private void Apply(StoredExecution stored, ExecutionChange change)
    {
        foreach (StatusChangeEvent statusEvent in change.StatusEvents)
        {
            _outbox.Add(new OutboxEntry(_outbox.Count + 1, statusEvent));
        }

        foreach (OperationRecord operation in change.Operations)
        {
            if (stored.OperationsById.TryAdd(operation.Operation.Id, operation))
            {
                stored.OperationsInOrder.Add(operation);
            }
            else
            {
                stored.OperationsById[operation.Operation.Id] = operation;
                stored.OperationsInOrder[operation.Sequence] = operation;
            }
        }

        stored.Events.AddRange(change.Events);
        string executionId = change.Execution.ExecutionId;
        if (change.RemoveAllTimers)
        {
            RemoveAllTimers(executionId);
        }

        foreach (string key in change.TimersToRemove)
        {
            RemoveTimer(executionId, key);
        }

        foreach (TimerRecord timer in change.TimersToSet)
        {
            RemoveTimer(timer.ExecutionId, timer.Key);
            AddTimer(timer);
        }

        foreach (CallbackLocation callback in change.NewCallbacks)
        {
            _callbacks[callback.CallbackId] = callback;
            stored.CallbackIds.Add(callback.CallbackId);
        }
    }

    private void AddTimer(TimerRecord timer)
    {
        _timers[(timer.ExecutionId, timer.Key)] = timer;
        _timersByDue.Add((timer.DueAt, timer.ExecutionId, timer.Key));
        if (!_timerKeysByExecution.TryGetValue(timer.ExecutionId, out HashSet<string>? keys))
        {
            keys = new HashSet<string>(StringComparer.Ordinal);
            _timerKeysByExecution.Add(timer.ExecutionId, keys);
        }

        keys.Add(timer.Key);
    }

    private void RemoveTimer(string executionId, string key)
    {
        if (_timers.Remove((executionId, key), out TimerRecord? timer))
        {
            _timersByDue.Remove((timer.DueAt, executionId, key));
            HashSet<string> keys = _timerKeysByExecution[executionId];
            keys.Remove(key);
            if (keys.Count == 0)
            {
                _timerKeysByExecution.Remove(executionId);
            }
        }
    }

    private void RemoveAllTimers(string executionId)
    {
        if (_timerKeysByExecution.TryGetValue(executionId, out HashSet<string>? keys))
        {
            foreach (string key in keys.ToArray())
            {
                RemoveTimer(executionId, key);
            }
        }
    }

    private void Remove(string executionId)
    {
        StoredExecution stored = _executions[executionId];
        _executions.Remove(executionId);
        _byName.Remove((stored.Execution.FunctionName, stored.Execution.ExecutionName));
        RemoveAllTimers(executionId);

        foreach (string callbackId in stored.CallbackIds)
        {
            _callbacks.Remove(callbackId);
        }
    }

    private sealed class StoredExecution(ExecutionRecord execution)
    {
        public ExecutionRecord Execution { get; set; } = execution;

        public Dictionary<string, OperationRecord> OperationsById { get; } = new(StringComparer.Ordinal);

        public List<OperationRecord> OperationsInOrder { get; } = [];

        public List<HistoryEvent> Events { get; } = [];

        /// <summary>The callback ids indexed to this execution, removed with it.</summary>
        public HashSet<string> CallbackIds { get; } = new(StringComparer.Ordinal);
    }
}
