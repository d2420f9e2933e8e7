using Durably.Protocol;
using Durably.Worker.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Worker.Tests;

/// <summary>
/// The SDK's checkpoint batcher sends at most 200 updates and about 750 KB per request (docs/sdk.md): what queues up
/// while a request is in flight is split into several requests, here against a real server over HTTP.
/// </summary>
public sealed class CheckpointBatchLimitTests
{
    private const int MaxUpdatesPerRequest = 200;
    private const int MaxBytesPerRequest = 750 * 1024;

    [Fact]
    public async Task UpdatesQueuedBeyond200_AreSplitIntoRequestsOfAtMost200()
    {
        const int Items = 450;
        RecordingHandler recorder = new() { HoldFirstCheckpoint = true };
        (DurableExecutionDescription execution, string? result) = await RunHeldAsync(recorder, Items, index => $"{index}");

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(Items, result!.Split(',').Length);
        int[] sizes = [.. recorder.Checkpoints.Select(request => request.UpdatePayloadLengths.Count)];
        Assert.All(sizes, size => Assert.InRange(size, 0, MaxUpdatesPerRequest));
        Assert.Contains(MaxUpdatesPerRequest, sizes);
        // Per item: a CONTEXT START and SUCCEED, a STEP START and SUCCEED; plus the map's own START and SUCCEED.
        Assert.Equal((4 * Items) + 2, sizes.Sum());
    }

    [Fact]
    public async Task LargePayloadsQueuedTogether_AreSplitByBytes_NoRequestOver750KB()
    {
        const int Items = 8;
        const int PayloadChars = 150_000;
        RecordingHandler recorder = new() { HoldFirstCheckpoint = true };
        (DurableExecutionDescription execution, _) = await RunHeldAsync(recorder, Items, index => new string((char)('a' + index), PayloadChars));

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        IReadOnlyList<RecordedRequest> checkpoints = recorder.Checkpoints;
        Assert.All(checkpoints, request => Assert.InRange(request.Body.Length, 1, MaxBytesPerRequest));
        int[] largePerRequest = [.. checkpoints.Select(request => request.UpdatePayloadLengths.Count(length => length > PayloadChars))];
        // Each item's result is sent twice: with its step's SUCCEED and with its map item context's SUCCEED.
        Assert.Equal(2 * Items, largePerRequest.Sum());
        // Two 150 KB results (estimated at 300 KB each) fit one request, a third would not: queued together, they go in pairs.
        Assert.Contains(2, largePerRequest);
        Assert.All(largePerRequest, count => Assert.InRange(count, 0, 2));
    }

    /// <summary>
    /// Runs a map of <paramref name="items"/> steps through <paramref name="recorder"/> against a real server. The first
    /// checkpoint request is held until every step body has run, so their updates queue up behind it.
    /// </summary>
    private static async Task<(DurableExecutionDescription Execution, string? Result)> RunHeldAsync(RecordingHandler recorder, int items, Func<int, string> result)
    {
        int bodies = 0;
        async Task<string> MapAsync(string input, IDurableContext context)
        {
            IBatchResult<string> results = await context.MapAsync(
                [.. Enumerable.Range(0, items)],
                (child, item, _, _) => child.StepAsync((_, _) =>
                {
                    if (Interlocked.Increment(ref bodies) == items)
                    {
                        recorder.Release();
                    }

                    return Task.FromResult(result(item));
                }, "work"),
                "fan-out");
            return string.Join(',', results.GetResults().Select(value => value.Length));
        }

        using var http = new HttpClient(recorder);
        await using TestServer server = await TestServer.StartDurablyAsync(new FakeTimeProvider(), durably => durably.AddRawFunction("map", (input, _, cancellationToken) =>
            DurableFunction.WrapAsync<string, string>(MapAsync, input, new HttpDurableExecutionClient(http), cancellationToken: cancellationToken)));
        http.BaseAddress = server.Address;

        string arn = (await server.Client.StartAsync("map", "\"go\"")).DurableExecutionArn;
        await server.IdleAsync();
        DurableExecutionDescription execution = await server.Engine.GetExecutionAsync(arn);
        Assert.True(execution.Status == ExecutionStatus.Succeeded, $"The execution is {execution.Status}: {execution.Error?.ErrorMessage}");
        return (execution, System.Text.Json.JsonSerializer.Deserialize<string>(execution.Result!));
    }
}
