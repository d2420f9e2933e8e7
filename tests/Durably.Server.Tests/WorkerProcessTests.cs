using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

/// <summary>
/// A function that runs in a separate worker process (tests/Durably.TestWorker) and talks to the server only
/// over HTTP: the server's raw function hands each invocation envelope to a new process, which replays and
/// checkpoints through the REST API and prints its output.
/// </summary>
public sealed class WorkerProcessTests
{
    [Fact]
    public async Task Function_InAWorkerProcess_CheckpointsOverHttp_SuspendsAndResumesInANewProcess()
    {
        Uri? address = null;
        var processIds = new List<int>();
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably =>
            durably.AddRawFunction("order", (input, _, cancellationToken) => RunInWorkerAsync(input, address!, processIds, cancellationToken)));
        address = server.Address;
        var client = new DurableHttpClient(server.Client);

        StartExecutionResult started = await client.StartAsync("order", new { OrderId = "w-1", Quantity = 4 });
        string callbackId = await server.CallbackIdAsync(started.DurableExecutionArn);
        await client.SendCallbackSuccessAsync(callbackId, "ok");
        JsonElement output = await client.WaitForResultAsync<JsonElement>(started.DurableExecutionArn).WaitAsync(TimeSpan.FromSeconds(30));
        IReadOnlyList<HistoryEvent> history = await client.GetHistoryAsync(started.DurableExecutionArn);

        Assert.Equal("w-1", output.GetProperty("orderId").GetString());
        Assert.Equal(40, output.GetProperty("total").GetInt32());
        Assert.Equal("ok", output.GetProperty("approval").GetString());
        Assert.Equal(2, processIds.Distinct().Count());
        Assert.NotEqual(Environment.ProcessId, output.GetProperty("processId").GetInt32());
        // Recorded by the first process and replayed, not re-run, by the second.
        Assert.Equal(processIds[0], output.GetProperty("processId").GetInt32());
        Assert.Equal(2, history.Count(e => e.EventType == HistoryEventTypes.InvocationCompleted && e.Details.Error is null));
    }

    private static async Task<DurableExecutionInvocationOutput> RunInWorkerAsync(
        DurableExecutionInvocationInput input, Uri server, List<int> processIds, CancellationToken cancellationToken)
    {
        string worker = typeof(WorkerProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "TestWorkerPath").Value!;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { worker, server.ToString() },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
        lock (processIds)
        {
            processIds.Add(process.Id);
        }

        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(input, DurablyJson.Envelope).AsMemory(), cancellationToken);
        process.StandardInput.Close();
        Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
        string output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The worker exited with {process.ExitCode}: {await errors}");
        }

        return JsonSerializer.Deserialize<DurableExecutionInvocationOutput>(output, DurablyJson.Envelope)
            ?? throw new InvalidOperationException("The worker printed no output.");
    }
}
