using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Durably.Testing;

namespace Durably.Benchmarks;

/// <summary>
/// A 10-step workflow end to end under <see cref="DurableTestRunner{TInput, TOutput}"/>: start,
/// one invocation on the engine with the in-memory store, ten checkpoints, result, operations
/// and history read back.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the runner in [GlobalCleanup].")]
public class TestRunnerBenchmarks
{
    private DurableTestRunner<int, int> _runner = null!;

    [GlobalSetup]
    public void CreateRunner() => _runner = new DurableTestRunner<int, int>(Workflows.SequentialStepsAsync);

    [GlobalCleanup]
    public ValueTask DisposeRunner() => _runner.DisposeAsync();

    [Benchmark]
    public async Task<int> TenSteps()
    {
        TestResult<int> result = await _runner.RunAsync(10);
        return result.IsSucceeded ? result.Result : throw new InvalidOperationException($"Run ended {result.Status}: {result.Error?.ErrorMessage}");
    }

    [Benchmark]
    public async Task<int> TenStepsWithANewRunner()
    {
        await using var runner = new DurableTestRunner<int, int>(Workflows.SequentialStepsAsync);
        TestResult<int> result = await runner.RunAsync(10);
        return result.IsSucceeded ? result.Result : throw new InvalidOperationException($"Run ended {result.Status}: {result.Error?.ErrorMessage}");
    }
}
