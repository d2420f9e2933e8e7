using Durably.Protocol;

namespace Durably.Replay;

/// <summary>
/// The operations of one invocation, by id, updated from checkpoint responses. Operations
/// waiting for a service-side change (a wait ending, a retry becoming due, a callback being
/// answered) watch their id and wake when a response carries a new record for it.
/// </summary>
internal sealed class ExecutionLog
{
    private readonly Dictionary<string, Operation> _operations;
    private readonly Dictionary<string, int> _recordedChildren = [];
    private readonly Dictionary<string, TaskCompletionSource> _watchers = [];
    private readonly Lock _lock = new();

    public ExecutionLog(IEnumerable<Operation> operations)
    {
        _operations = [];
        foreach (Operation operation in operations)
        {
            _operations[operation.Id] = operation;
            if (operation.Type != OperationType.Execution)
            {
                string parent = operation.ParentId ?? "";
                _recordedChildren[parent] = _recordedChildren.GetValueOrDefault(parent) + 1;
            }
        }
    }

    /// <summary>How many operations the log held, when the invocation began, directly under <paramref name="parentId"/> (null: the root).</summary>
    public int RecordedChildren(string? parentId) => _recordedChildren.GetValueOrDefault(parentId ?? "");

    public Operation? Get(string id)
    {
        lock (_lock)
        {
            return _operations.GetValueOrDefault(id);
        }
    }

    /// <summary>Replaces the records of <paramref name="operations"/> and wakes their watchers (outside the lock).</summary>
    public void Apply(IReadOnlyList<Operation> operations)
    {
        List<TaskCompletionSource>? woken = null;
        lock (_lock)
        {
            foreach (Operation operation in operations)
            {
                _operations[operation.Id] = operation;
                if (_watchers.Remove(operation.Id, out TaskCompletionSource? watcher))
                {
                    (woken ??= []).Add(watcher);
                }
            }
        }

        if (woken is not null)
        {
            foreach (TaskCompletionSource watcher in woken)
            {
                watcher.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Completes at the next <see cref="Apply"/> that carries <paramref name="id"/>, or at once
    /// when the record already differs from <paramref name="seen"/>.
    /// </summary>
    public Task WaitForChangeAsync(string id, Operation? seen)
    {
        lock (_lock)
        {
            if (!ReferenceEquals(_operations.GetValueOrDefault(id), seen))
            {
                return Task.CompletedTask;
            }

            if (!_watchers.TryGetValue(id, out TaskCompletionSource? watcher))
            {
                // Continuations run inline when the change is applied, so the suspension check
                // that follows sees whatever the woken code did next.
                watcher = new TaskCompletionSource();
                _watchers[id] = watcher;
            }

            return watcher.Task;
        }
    }
}
