using Durably.Protocol;

namespace Durably.Engine;

/// <summary>The in-process <see cref="IDurableClient"/>: calls the engine directly.</summary>
public sealed class EngineDurableClient : IDurableClient
{
    private readonly DurableEngine _engine;
    private readonly IDurableSerializer _serializer;

    /// <summary>Creates a client of <paramref name="engine"/>; payloads use <paramref name="serializer"/> (default JSON).</summary>
    public EngineDurableClient(DurableEngine engine, IDurableSerializer? serializer = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _serializer = serializer ?? JsonDurableSerializer.Default;
    }

    /// <inheritdoc />
    public Task<StartExecutionResult> StartAsync<TInput>(string functionName, TInput input, string? executionName = null, CancellationToken cancellationToken = default) =>
        _engine.StartExecutionAsync(functionName, _serializer.Serialize(input), executionName, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public Task<DurableExecutionDescription> GetExecutionAsync(string durableExecutionArn, CancellationToken cancellationToken = default) =>
        _engine.GetExecutionAsync(durableExecutionArn, includeExecutionData: true, cancellationToken);

    /// <inheritdoc />
    public async Task<TOutput?> WaitForResultAsync<TOutput>(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        DurableExecutionDescription execution = await _engine.WaitForCompletionAsync(durableExecutionArn, cancellationToken).ConfigureAwait(false);
        return execution.Status == ExecutionStatus.Succeeded
            ? _serializer.Deserialize<TOutput>(execution.Result)
            : throw new DurableExecutionFailedException(durableExecutionArn, execution.Status, execution.Error);
    }

    /// <inheritdoc />
    public Task SendCallbackSuccessAsync<T>(string callbackId, T result, CancellationToken cancellationToken = default) =>
        _engine.SendCallbackSuccessAsync(callbackId, _serializer.Serialize(result), cancellationToken);

    /// <inheritdoc />
    public Task SendCallbackFailureAsync(string callbackId, ErrorObject? error = null, CancellationToken cancellationToken = default) =>
        _engine.SendCallbackFailureAsync(callbackId, error, cancellationToken);

    /// <inheritdoc />
    public Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken = default) =>
        _engine.SendCallbackHeartbeatAsync(callbackId, cancellationToken);

    /// <inheritdoc />
    public Task StopExecutionAsync(string durableExecutionArn, ErrorObject? error = null, CancellationToken cancellationToken = default) =>
        _engine.StopExecutionAsync(durableExecutionArn, error, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        var events = new List<HistoryEvent>();
        string? marker = null;
        do
        {
            HistoryPage page = await _engine.GetHistoryAsync(durableExecutionArn, marker, 1000, cancellationToken: cancellationToken).ConfigureAwait(false);
            events.AddRange(page.Events);
            marker = page.NextMarker;
        }
        while (marker is not null);
        return events;
    }
}
