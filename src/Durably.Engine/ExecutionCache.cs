using System.Collections.Concurrent;
using Durably.Engine.Storage;

namespace Durably.Engine;

/// <summary>
/// What this engine last committed for the executions it started and is running the first invocation of: the header
/// and every operation, so their checkpoints need no store read. Safe because every commit is version-checked: an
/// entry another writer made stale only makes the commit built on it fail, and a failed commit drops the entry, so the
/// retry loads from the store. An entry advances only by the change that follows its version; it is dropped on any
/// gap and when the invocation ends.
/// </summary>
internal sealed class ExecutionCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Caches an execution just created by <paramref name="creation"/>: the change holds all of its operations.</summary>
    public void AddCreated(ExecutionChange creation)
    {
        var entry = new Entry(creation.Execution, creation.Operations.ToDictionary(record => record.Operation.Id, StringComparer.Ordinal));
        _entries[creation.Execution.ExecutionId] = entry;
    }

    /// <summary>The cached header and those of <paramref name="operationIds"/> that exist, as a store load returns them; null when not cached.</summary>
    public ExecutionSnapshot? TryLoad(string executionId, IReadOnlyCollection<string> operationIds)
    {
        if (!_entries.TryGetValue(executionId, out Entry? entry))
        {
            return null;
        }

        lock (entry)
        {
            var operations = new Dictionary<string, OperationRecord>(operationIds.Count, StringComparer.Ordinal);
            foreach (string id in operationIds)
            {
                if (entry.Operations.TryGetValue(id, out OperationRecord? operation))
                {
                    operations[id] = operation;
                }
            }

            return new ExecutionSnapshot(entry.Execution, operations);
        }
    }

    /// <summary>A change was committed: advance the entry it follows, otherwise drop it.</summary>
    public void Committed(ExecutionChange change)
    {
        string executionId = change.Execution.ExecutionId;
        if (!_entries.TryGetValue(executionId, out Entry? entry))
        {
            return;
        }

        lock (entry)
        {
            if (entry.Execution.Version == change.ExpectedVersion && change.Execution.Invocation is not null)
            {
                entry.Execution = change.Execution;
                foreach (OperationRecord operation in change.Operations)
                {
                    entry.Operations[operation.Operation.Id] = operation;
                }

                return;
            }
        }

        _entries.TryRemove(new KeyValuePair<string, Entry>(executionId, entry));
    }

    /// <summary>A commit built on the entry failed (another writer moved the execution on): forget it.</summary>
    public void Remove(string executionId) => _entries.TryRemove(executionId, out _);

    private sealed class Entry(ExecutionRecord execution, Dictionary<string, OperationRecord> operations)
    {
        public ExecutionRecord Execution { get; set; } = execution;

        public Dictionary<string, OperationRecord> Operations { get; } = operations;
    }
}
