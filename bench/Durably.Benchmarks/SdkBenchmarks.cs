using BenchmarkDotNet.Attributes;
using Durably.Protocol;

namespace Durably.Benchmarks;

/// <summary>
/// A 10-step workflow run live by the SDK against a backend that acknowledges at once: the
/// SDK's share of <see cref="TestRunnerBenchmarks"/>, without engine or store.
/// </summary>
[MemoryDiagnoser]
public class SdkBenchmarks
{
    private readonly AcknowledgingClient _client = new();
    private readonly DurableExecutionInvocationInput _envelope = Envelopes.WithCompletedSteps(0, Workflows.StepName, "0");

    [Benchmark]
    public async Task<InvocationStatus> TenStepsLiveOnSdkOnly()
    {
        DurableExecutionInvocationOutput output = await DurableFunction.WrapAsync<int, int>(
            (_, context) => Workflows.SequentialStepsAsync(10, context), _envelope, _client);
        return output.Status == InvocationStatus.Succeeded
            ? output.Status
            : throw new InvalidOperationException($"Run ended {output.Status}: {output.Error?.ErrorMessage}");
    }
}
