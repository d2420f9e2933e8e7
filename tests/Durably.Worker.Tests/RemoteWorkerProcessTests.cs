using System.Net;
using System.Text;
using System.Text.Json;
using Durably.Protocol;
using Durably.Worker.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Worker.Tests;

/// <summary>
/// The server (this process) and the worker (samples/RemoteWorker, a child process) talk only over HTTP: the server
/// POSTs envelopes to the worker's MapDurableFunction endpoint, the worker checkpoints through the server's REST API.
/// </summary>
public sealed class RemoteWorkerProcessTests
{
    [Fact]
    public async Task Workflow_InAWorkerProcess_RunsAStepAWaitAndACallback_EndToEnd()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using TestServer server = await TestServer.StartDurablyAsync(time, _ => { });
        // The worker binds a port of its own choosing, then joins the running server as a run-time registration.
        await using WorkerProcess worker = await WorkerProcess.StartAsync(server.Address);
        using var http = new HttpClient { BaseAddress = server.Address };
        using HttpResponseMessage registered = await http.PostAsync("durably/functions",
            new StringContent($$"""{"FunctionName":"shipment","Url":"{{new Uri(worker.Address, "shipment")}}"}""", Encoding.UTF8, "application/json"));
        Assert.True(registered.StatusCode == HttpStatusCode.Created, await registered.Content.ReadAsStringAsync());
        var client = new DurableHttpClient(http);

        StartExecutionResult started = await client.StartAsync("shipment", new { OrderId = "o-7", PickupDelaySeconds = 60 });
        await server.IdleAsync();
        IReadOnlyList<Operation> waiting = await server.Engine.GetOperationsAsync(started.DurableExecutionArn);
        Assert.Contains(waiting, op => op is { Type: OperationType.Step, Name: "print-label", Status: OperationStatus.Succeeded });
        Assert.Contains(waiting, op => op is { Type: OperationType.Wait, Name: "await-pickup", Status: OperationStatus.Started });

        time.Advance(TimeSpan.FromSeconds(60));
        server.Engine.Wake();
        string callbackId = await server.CallbackIdAsync(started.DurableExecutionArn);
        await client.SendCallbackSuccessAsync(callbackId, "DHL");
        JsonElement result = await client.WaitForResultAsync<JsonElement>(started.DurableExecutionArn).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("o-7", result.GetProperty("orderId").GetString());
        Assert.Equal("LBL-o-7", result.GetProperty("label").GetString());
        Assert.Equal("DHL", result.GetProperty("carrier").GetString());
        Assert.Equal(worker.ProcessId, result.GetProperty("workerProcessId").GetInt32());
        IReadOnlyList<HistoryEvent> history = await client.GetHistoryAsync(started.DurableExecutionArn);
        Assert.Equal(3, history.Count(e => e.EventType == HistoryEventTypes.InvocationCompleted && e.Details.Error is null));
        Assert.DoesNotContain(history, e => e.EventType == HistoryEventTypes.InvocationCompleted && e.Details.Error is not null);
        Assert.Equal(
            [HistoryEventTypes.StepStarted, HistoryEventTypes.StepSucceeded, HistoryEventTypes.WaitStarted, HistoryEventTypes.WaitSucceeded],
            history.Select(e => e.EventType).Where(t => t.StartsWith("Step", StringComparison.Ordinal) || t.StartsWith("Wait", StringComparison.Ordinal)).Take(4));
        Assert.Contains("Printing the label of order o-7", worker.Output, StringComparison.Ordinal);
    }
}
