using System.Collections.Concurrent;
using System.Text.Json;
using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Server.Tests;

/// <summary>
/// Bad input never answers 5xx and never changes stored data: more than a thousand generated malformed
/// requests against a real server, each answered 4xx (or a harmless read), every error with
/// X-Amzn-ErrorType and a message; the stored executions, operations and histories are identical after.
/// </summary>
public sealed class MalformedRequestSweepTests
{
    // A bound against a hang, not a speed target: the sweep's time is measured by
    // bench/Durably.Benchmarks (MalformedRequestSweepBenchmarks, docs/benchmarks.md).
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Sweep_ThousandMalformedRequests_No5xx_EveryErrorTyped_StoredDataUnchanged()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var probe = new InvocationProbe();
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions().AddRawFunction("probe", probe.Handler), time: time);
        SweepTargets targets = await ArrangeAsync(server, probe);
        string before = await SnapshotAsync(server.Engine);

        MalformedRequest[] requests = [.. new MalformedRequests(targets, seed: 20260101).Generate()];
        var failures = new ConcurrentBag<string>();
        using var hangGuard = new CancellationTokenSource(HangGuard);
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = hangGuard.Token }, async (request, cancellationToken) =>
        {
            RawHttp.Answer answer = await RawHttp.SendAsync(server.Address, request.Method, request.Target, request.Body, request.Headers, cancellationToken);
            if (Check(request, answer) is { } problem)
            {
                failures.Add($"{request} → {answer.StatusCode}: {problem}");
            }
        });
        await server.IdleAsync();
        string after = await SnapshotAsync(server.Engine);

        Assert.True(requests.Length >= 1000, $"Only {requests.Length} requests were generated.");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {requests.Length} answers broke the rules:\n{string.Join("\n", failures.Take(40))}");
        Assert.Equal(before, after);
    }

    private static string? Check(MalformedRequest request, RawHttp.Answer answer)
    {
        if (answer.StatusCode >= 500)
        {
            return $"server error {answer.Body}";
        }

        if (answer.StatusCode < 400)
        {
            // Reads may succeed; every write in the sweep is malformed and must be refused.
            return request.Method == "GET" ? null : $"a malformed request was accepted: {answer.Body}";
        }

        if (!answer.Headers.TryGetValue("X-Amzn-ErrorType", out string? errorType) || errorType.Length == 0)
        {
            return $"no X-Amzn-ErrorType ({answer.Body})";
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(answer.Body);
            JsonElement root = document.RootElement;
            bool hasMessage = (root.TryGetProperty("message", out JsonElement message) || root.TryGetProperty("Message", out message))
                && message.ValueKind == JsonValueKind.String && message.GetString()!.Length > 0;
            return hasMessage && root.TryGetProperty("Type", out _) ? null : $"{errorType} without Type and message: {answer.Body}";
        }
        catch (JsonException)
        {
            return $"{errorType} with a body that is not JSON: {answer.Body}";
        }
    }

    /// <summary>A running execution with an open callback, a closed one, and tokens of an invocation that has ended.</summary>
    private static async Task<SweepTargets> ArrangeAsync(DurablyTestServer server, InvocationProbe probe)
    {
        string running = await server.Client.StartAsync("approval", "\"sweep\"", "sweep-running");
        string callbackId = await server.CallbackIdAsync(running);
        using HttpResponseMessage closed = await server.Client.InvokeAsync("echo", "\"done\"", executionName: "sweep-closed");
        string closedArn = ApiAssert.Header(closed, "X-Amz-Durable-Execution-Arn");
        string probed = await server.Client.StartAsync("probe", "{}", "sweep-probe");
        ProbedInvocation invocation = await probe.NextAsync();
        CheckpointDurableExecutionResponse checkpoint = await server.Engine.CheckpointAsync(new CheckpointDurableExecutionRequest
        {
            DurableExecutionArn = probed,
            CheckpointToken = invocation.Input.CheckpointToken,
            Updates = [new OperationUpdate { Id = "nap", Type = OperationType.Wait, Action = OperationAction.Start, WaitOptions = new WaitOptions { WaitSeconds = 86_400 } }],
        });
        invocation.Return(InvocationStatus.Pending);
        await server.IdleAsync();
        return new SweepTargets(running, closedArn, callbackId, [invocation.Input.CheckpointToken, checkpoint.CheckpointToken]);
    }

    /// <summary>Every stored execution of every function, with its operations and whole history, as JSON.</summary>
    private static async Task<string> SnapshotAsync(DurableEngine engine)
    {
        var snapshot = new List<object>();
        foreach (string function in engine.Functions.GetAll().Select(registered => registered.Name).Distinct())
        {
            DurableExecutionPage page = await engine.ListExecutionsAsync(new ListDurableExecutionsRequest { FunctionName = function, MaxItems = 1000 });
            foreach (DurableExecutionSummary summary in page.DurableExecutions)
            {
                HistoryPage history = await engine.GetHistoryAsync(summary.DurableExecutionArn, maxItems: 1000);
                snapshot.Add(new
                {
                    Execution = await engine.GetExecutionAsync(summary.DurableExecutionArn),
                    Operations = await engine.GetOperationsAsync(summary.DurableExecutionArn),
                    history.Events,
                });
            }
        }

        return JsonSerializer.Serialize(snapshot, DurablyJson.Api);
    }
}
