using Durably.Protocol;

namespace Durably.Testing;

/// <summary>
/// The service side of a replay: the recording is all there is. A replay-only invocation sends no updates; it may
/// still ask for changes (an empty checkpoint), and the answer is always "none".
/// </summary>
internal sealed class RecordingOnlyClient : IDurableExecutionClient
{
    public Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Updates is { Count: > 0 }
            ? throw new InvalidOperationException("A replay-only invocation tried to checkpoint; the replay must stop where the recording ends.")
            : Task.FromResult(new CheckpointDurableExecutionResponse { CheckpointToken = request.CheckpointToken });
    }

    public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GetDurableExecutionStateResponse());
}
