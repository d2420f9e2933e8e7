using Durably.Protocol;
using Durably.Worker.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Worker.Tests;

/// <summary>
/// An invocation envelope holds at most 1,000 operations and about 1 MiB of payloads; the SDK reads the rest with
/// GetDurableExecutionState from the envelope's NextMarker and replays without running a step again.
/// </summary>
public sealed class EnvelopePagingTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task MoreThan1000Operations_ArePagedPastTheEnvelope()
    {
        const int Steps = 1_100;
        (IReadOnlyList<InitialExecutionState> envelopes, RecordingHandler recorder, DurableExecutionDescription execution, int bodies) =
            await RunStepsThenWaitAsync(Steps, step => step.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal($"\"{Steps}\"", execution.Result);
        Assert.Equal(Steps, bodies);
        InitialExecutionState replay = envelopes[1];
        Assert.Equal(1_000, replay.Operations.Count);
        Assert.False(string.IsNullOrEmpty(replay.NextMarker));
        RecordedRequest state = Assert.Single(recorder.Requests, request => request.Path.EndsWith("/state", StringComparison.Ordinal));
        Assert.Contains($"Marker={replay.NextMarker}", state.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargePayloads_ArePagedByBytes_AndTheSdkFollowsEveryPage()
    {
        const int Steps = 12;
        (IReadOnlyList<InitialExecutionState> envelopes, RecordingHandler recorder, DurableExecutionDescription execution, int bodies) =
            await RunStepsThenWaitAsync(Steps, step => new string((char)('a' + step), 200_000));

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal($"\"{Steps}\"", execution.Result);
        Assert.Equal(Steps, bodies);
        InitialExecutionState replay = envelopes[1];
        Assert.InRange(replay.Operations.Count, 2, 6);
        Assert.False(string.IsNullOrEmpty(replay.NextMarker));
        Assert.InRange(recorder.Requests.Count(request => request.Path.EndsWith("/state", StringComparison.Ordinal)), 2, Steps);
    }

    /// <summary>
    /// Runs a workflow of <paramref name="steps"/> steps, then a one-second wait, then a check that every step's result
    /// replayed; returns each invocation's envelope state, the SDK's requests, the execution and how many step bodies ran.
    /// </summary>
    private async Task<(IReadOnlyList<InitialExecutionState> Envelopes, RecordingHandler Recorder, DurableExecutionDescription Execution, int Bodies)> RunStepsThenWaitAsync(
        int steps, Func<int, string> result)
    {
        int bodies = 0;
        var envelopes = new List<InitialExecutionState>();
        var recorder = new RecordingHandler();
        using var http = new HttpClient(recorder);

        async Task<string> WorkflowAsync(string input, IDurableContext context)
        {
            int matching = 0;
            for (int step = 0; step < steps; step++)
            {
                int index = step;
                string value = await context.StepAsync((_, _) =>
                {
                    Interlocked.Increment(ref bodies);
                    return Task.FromResult(result(index));
                }, $"step-{index}");
                matching += value == result(index) ? 1 : 0;
            }

            await context.WaitAsync(TimeSpan.FromSeconds(1), "pause");
            return matching.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await using TestServer server = await TestServer.StartDurablyAsync(_time, durably => durably.AddRawFunction("steps", (input, _, cancellationToken) =>
        {
            envelopes.Add(input.InitialExecutionState);
            return DurableFunction.WrapAsync<string, string>(WorkflowAsync, input, new HttpDurableExecutionClient(http), cancellationToken: cancellationToken);
        }, function => function.InvocationTimeout = TimeSpan.FromMinutes(15)));
        http.BaseAddress = server.Address;

        string arn = (await server.Client.StartAsync("steps", "\"go\"")).DurableExecutionArn;
        await server.Engine.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));
        _time.Advance(TimeSpan.FromSeconds(1));
        server.Engine.Wake();
        await server.IdleAsync();
        Assert.Equal(2, envelopes.Count);
        return (envelopes, recorder, await server.Engine.GetExecutionAsync(arn), bodies);
    }
}
