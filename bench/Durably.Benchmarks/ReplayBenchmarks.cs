using BenchmarkDotNet.Attributes;
using Durably.Protocol;

namespace Durably.Benchmarks;

/// <summary>
/// The replay core alone: one invocation whose log already holds <see cref="CompletedSteps"/>
/// SUCCEEDED steps, so every step returns its recorded result and nothing is checkpointed.
/// </summary>
[MemoryDiagnoser]
public class ReplayBenchmarks
{
    private readonly AcknowledgingClient _client = new();
    private DurableExecutionInvocationInput _envelope = null!;

    [Params(1_000, 10_000)]
    public int CompletedSteps { get; set; }

    [GlobalSetup]
    public void BuildEnvelope() => _envelope = Envelopes.WithCompletedSteps(CompletedSteps, Workflows.StepName, "7");

    [Benchmark]
    public async Task<InvocationStatus> ReplayCompletedSteps()
    {
        DurableExecutionInvocationOutput output = await DurableFunction.WrapAsync<int, int>(Workflows.SequentialStepsAsync, _envelope, _client);
        return output.Status == InvocationStatus.Succeeded
            ? output.Status
            : throw new InvalidOperationException($"Replay ended {output.Status}: {output.Error?.ErrorMessage}");
    }
}
