using Durably.Protocol;

namespace Durably.Benchmarks;

/// <summary>A backend that acknowledges every checkpoint at once and stores nothing: measures the SDK alone.</summary>
internal sealed class AcknowledgingClient : IDurableExecutionClient
{
    private static readonly Task<CheckpointDurableExecutionResponse> Acknowledged =
        Task.FromResult(new CheckpointDurableExecutionResponse { CheckpointToken = "token-n" });

    public Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request, CancellationToken cancellationToken = default) =>
        Acknowledged;

    public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("Benchmark envelopes hold the whole log in one page.");
}
