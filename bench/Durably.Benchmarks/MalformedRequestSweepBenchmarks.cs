using BenchmarkDotNet.Attributes;
using Durably.Engine;
using Durably.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Durably.Benchmarks;

/// <summary>
/// The malformed-request sweep of tests/Durably.Server.Tests (MalformedRequestSweepTests, which checks every answer)
/// as a timing: the same generated requests (seed 20260101), sent 4 at a time over raw HTTP to a real server on
/// 127.0.0.1 with the in-memory store, aimed at a running execution with an open callback and a closed one.
/// </summary>
[MemoryDiagnoser]
public class MalformedRequestSweepBenchmarks
{
    private WebApplication _app = null!;
    private Uri _address = null!;
    private MalformedRequest[] _requests = [];

    /// <summary>How many requests one sweep sends.</summary>
    public int RequestCount => _requests.Length;

    [GlobalSetup]
    public async Task StartServerAsync()
    {
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        builder.Services.AddDurably().UseInMemoryStore()
            .AddFunction<string, string>("approval", async (_, context) => await (await context.CreateCallbackAsync<string>("approval")).GetResultAsync())
            .AddFunction<string, string>("echo", (input, _) => Task.FromResult(input));
        _app = builder.Build();
        _app.MapDurably();
        _address = await LoopbackApp.StartAsync(_app);
        DurableEngine engine = _app.Services.GetRequiredService<DurableEngine>();
        IDurableClient client = _app.Services.GetRequiredService<IDurableClient>();
        string running = (await client.StartAsync("approval", "sweep", "sweep-running")).DurableExecutionArn;
        string callbackId = await engine.CallbackIdAsync(running);
        string closed = (await client.StartAsync("echo", "done", "sweep-closed")).DurableExecutionArn;
        await engine.WaitUntilIdleAsync();
        var targets = new SweepTargets(running, closed, callbackId, ["stale-token-1", "stale-token-2"]);
        _requests = [.. new MalformedRequests(targets, seed: 20260101).Generate()];
        Console.WriteLine($"// The sweep sends {RequestCount} requests.");
    }

    [Benchmark(Description = "malformed-request sweep")]
    public Task SweepAsync() =>
        Parallel.ForEachAsync(_requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, cancellationToken) =>
            await RawHttp.SendAsync(_address, request.Method, request.Target, request.Body, request.Headers, cancellationToken));

    [GlobalCleanup]
    public async Task StopServerAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
