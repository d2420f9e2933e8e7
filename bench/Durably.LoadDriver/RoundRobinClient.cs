using System.Collections.Concurrent;
using Durably.Protocol;

namespace Durably.LoadDriver;

/// <summary>
/// Several nodes' clients as one (--nodes): each start goes to the next node, and the calls about that execution go to
/// the same node; callbacks go round-robin too.
/// </summary>
internal sealed class RoundRobinClient(IReadOnlyList<IDurableClient> nodes) : IDurableClient
{
    private readonly ConcurrentDictionary<string, IDurableClient> _nodeOf = new(StringComparer.Ordinal);
    private int _next = -1;

    public async Task<StartExecutionResult> StartAsync<TInput>(string functionName, TInput input, string? executionName = null, CancellationToken cancellationToken = default)
    {
        IDurableClient node = Next();
        StartExecutionResult started = await node.StartAsync(functionName, input, executionName, cancellationToken);
        _nodeOf[started.DurableExecutionArn] = node;
        return started;
    }

    public Task<DurableExecutionDescription> GetExecutionAsync(string durableExecutionArn, CancellationToken cancellationToken = default) =>
        NodeOf(durableExecutionArn).GetExecutionAsync(durableExecutionArn, cancellationToken);

    /// <summary>
    /// Waits on every node at once: the node that commits the close answers at once, where another node would notice it
    /// only at its next look at the store (PostgresStoreOptions.PollInterval, 1 s). A callback sent to one node resumes
    /// the execution on whichever node claims it.
    /// </summary>
    public async Task<TOutput?> WaitForResultAsync<TOutput>(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        using var others = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<TOutput?>[] waits = [.. nodes.Select(node => node.WaitForResultAsync<TOutput>(durableExecutionArn, others.Token))];
        Task<TOutput?> first = await Task.WhenAny(waits);
        await others.CancelAsync();
        await Task.WhenAll(waits).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return await first;
    }

    public Task SendCallbackSuccessAsync<T>(string callbackId, T result, CancellationToken cancellationToken = default) =>
        Next().SendCallbackSuccessAsync(callbackId, result, cancellationToken);

    public Task SendCallbackFailureAsync(string callbackId, ErrorObject? error = null, CancellationToken cancellationToken = default) =>
        Next().SendCallbackFailureAsync(callbackId, error, cancellationToken);

    public Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken = default) =>
        Next().SendCallbackHeartbeatAsync(callbackId, cancellationToken);

    public Task StopExecutionAsync(string durableExecutionArn, ErrorObject? error = null, CancellationToken cancellationToken = default) =>
        NodeOf(durableExecutionArn).StopExecutionAsync(durableExecutionArn, error, cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string durableExecutionArn, CancellationToken cancellationToken = default) =>
        NodeOf(durableExecutionArn).GetHistoryAsync(durableExecutionArn, cancellationToken);

    private IDurableClient Next() => nodes[(int)((uint)Interlocked.Increment(ref _next) % (uint)nodes.Count)];

    private IDurableClient NodeOf(string durableExecutionArn) => _nodeOf.GetValueOrDefault(durableExecutionArn) ?? nodes[0];
}
