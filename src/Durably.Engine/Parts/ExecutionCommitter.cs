using System.Collections.Concurrent;
using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>
/// The engine's one way to change an execution: load (from <see cref="ExecutionCache"/> when cached) → pure transition →
/// one version-checked commit, recomputed when another change won the race. After a commit it tells the rest of the
/// process: metrics, the live feed (<see cref="ExecutionChangeFeed"/>), the dispatcher when a timer was set, and the
/// callers waiting for the execution to close.
/// </summary>
internal sealed class ExecutionCommitter(IExecutionStore store, FunctionRegistry functions, ExecutionChangeFeed changes, TimeProvider time, Action wake)
{
    private readonly ExecutionCache _cache = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _closeWaiters = new(StringComparer.Ordinal);

    public IExecutionStore Store => store;

    private DateTimeOffset Now => time.GetUtcNow();

    public static DurableServiceException ExecutionNotFound(string executionId) => ServiceErrorCodes.NotFound($"Execution not found: {ServiceErrorCodes.Shorten(executionId)}");

    public static string RequireExecutionId(string durableExecutionArn) =>
        ExecutionArn.TryGetExecutionId(durableExecutionArn, out string? executionId)
            ? executionId
            : throw ServiceErrorCodes.InvalidParameter($"'{ServiceErrorCodes.Shorten(durableExecutionArn)}' is not a durable execution ARN.");

    /// <summary>Load → transition → version-checked commit, recomputed when another change won the race.</summary>
    public async Task<ExecutionWorkspace> MutateAsync(
        string executionId, IReadOnlyCollection<string> operationIds, Action<ExecutionWorkspace> transition, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(operationIds, StringComparer.Ordinal) { executionId };
        while (true)
        {
            ExecutionSnapshot snapshot = await LoadAsync(executionId, ids, cancellationToken).ConfigureAwait(false)
                ?? throw ExecutionNotFound(executionId);
            var workspace = new ExecutionWorkspace(snapshot);
            transition(workspace);
            if (!workspace.HasChanges || await CommitAsync(workspace, cancellationToken).ConfigureAwait(false))
            {
                return workspace;
            }
        }
    }

    /// <summary>A store load, served from the cache when the execution is cached.</summary>
    public Task<ExecutionSnapshot?> LoadAsync(string executionId, IReadOnlyCollection<string> operationIds, CancellationToken cancellationToken) =>
        _cache.TryLoad(executionId, operationIds) is { } cached ? Task.FromResult<ExecutionSnapshot?>(cached) : store.LoadAsync(executionId, operationIds, cancellationToken);

    /// <summary>Commits <paramref name="workspace"/>'s change; false (the cached entry dropped) when another change won the race.</summary>
    public async Task<bool> CommitAsync(ExecutionWorkspace workspace, CancellationToken cancellationToken)
    {
        ExecutionChange change = workspace.ToChange();
        if (!await store.TryCommitAsync(change, cancellationToken).ConfigureAwait(false))
        {
            _cache.Remove(change.Execution.ExecutionId);
            return false;
        }

        _cache.Committed(change);
        Telemetry.EngineMetrics.Committed(change.Events);
        Telemetry.EngineTelemetry.Closed(change, functions);
        if (change.Events.Count > 0)
        {
            // What a live view shows changed: new history events (every status change writes one).
            changes.Publish(change.Execution, change.StatusEvents);
        }

        foreach (ExecutionChange creation in change.CreatedExecutions)
        {
            Telemetry.EngineMetrics.Committed(creation.Events);
            changes.Publish(creation.Execution, creation.StatusEvents);
        }

        if (workspace.SetAnyTimer)
        {
            wake();
        }

        if (workspace.ClosedExecution && _closeWaiters.TryRemove(workspace.Execution.ExecutionId, out TaskCompletionSource? waiter))
        {
            waiter.TrySetResult();
        }

        return true;
    }

    /// <summary>Creates an execution; when it was created, publishes it and, when <paramref name="cache"/>, caches it (this engine runs it).</summary>
    public async Task<CreateExecutionResult> CreateAsync(ExecutionChange creation, DateTimeOffset now, bool cache, CancellationToken cancellationToken)
    {
        CreateExecutionResult created = await store.CreateExecutionAsync(creation, now, cancellationToken).ConfigureAwait(false);
        if (created.Created)
        {
            Telemetry.EngineMetrics.Committed(creation.Events);
            changes.Publish(created.Execution, creation.StatusEvents);
            if (cache)
            {
                _cache.AddCreated(creation);
            }
        }

        return created;
    }

    /// <summary>Drops a purged execution from the cache.</summary>
    public void Forget(string executionId) => _cache.Remove(executionId);

    /// <summary>Completes when the execution is closed; returns its header.</summary>
    public async Task<ExecutionRecord> WaitForCloseAsync(string executionId, CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource waiter = _closeWaiters.GetOrAdd(executionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            ExecutionRecord execution = await LoadExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
            if (execution.IsClosed)
            {
                return execution;
            }

            if (store is ISharedExecutionStore shared)
            {
                // Another node may close it: this node's waiter hears only its own commits, so look again now and then.
                await Task.WhenAny(waiter.Task, Task.Delay(shared.PollInterval, time, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            else
            {
                await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Loads an execution's header; 404 when it is unknown or past its retention (not purged yet, but gone all the same).</summary>
    public async Task<ExecutionRecord> LoadExecutionAsync(string executionId, CancellationToken cancellationToken)
    {
        ExecutionSnapshot snapshot = await store.LoadAsync(executionId, [], cancellationToken).ConfigureAwait(false)
            ?? throw ExecutionNotFound(executionId);
        ThrowIfExpired(snapshot.Execution);
        return snapshot.Execution;
    }

    public void ThrowIfExpired(ExecutionRecord execution)
    {
        if (execution.IsExpiredAt(Now))
        {
            throw ExecutionNotFound(execution.ExecutionId);
        }
    }
}
