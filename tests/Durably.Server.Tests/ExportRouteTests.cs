using System.Net;
using System.Text.Json;
using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

/// <summary>GET /2025-12-01/durable-executions/{arn}/export: Durably's replay-from-history export (docs/server.md).</summary>
public sealed class ExportRouteTests
{
    private const string InvokeKey = "invoke-key-0123456789-0123456789-0";
    private const string WorkerKey = "worker-key-0123456789-0123456789-0";

    [Fact]
    public async Task Export_OfAnExecution_HoldsItsDescriptionOperationsAndHistory_WithAnInvokeKey()
    {
        await using DurablyTestServer server = await StartAsync();
        string arn = await StartEchoAsync(server);

        using HttpResponseMessage response = await SendAsync(server, InvokeKey, ApiRequests.Execution(arn, "/export"));

        JsonElement json = await ApiAssert.JsonAsync(response);
        ExecutionExport export = json.Deserialize<ExecutionExport>(DurablyJson.Api)!;
        Assert.Equal("durably-execution-export", export.Format);
        Assert.Equal(1, export.Version);
        Assert.Equal(arn, export.Execution.DurableExecutionArn);
        Assert.Equal("\"HELLO\"", export.Execution.Result);
        Assert.Equal("\"hello\"", export.Execution.InputPayload);
        Assert.Equal([OperationType.Execution, OperationType.Step], export.Operations.Select(o => o.Type));
        Assert.Equal("\"hello\"", export.Operations[0].ExecutionDetails!.InputPayload);
        Assert.Equal("\"HELLO\"", export.Operations[1].StepDetails!.Result);
        Assert.Equal(
            [HistoryEventTypes.ExecutionStarted, HistoryEventTypes.StepStarted, HistoryEventTypes.StepSucceeded,
                HistoryEventTypes.InvocationCompleted, HistoryEventTypes.ExecutionSucceeded],
            export.Events.Select(e => e.EventType));
    }

    [Fact]
    public async Task Export_NeedsTheInvokeScope()
    {
        await using DurablyTestServer server = await StartAsync();
        string arn = await StartEchoAsync(server);

        using HttpResponseMessage response = await SendAsync(server, WorkerKey, ApiRequests.Execution(arn, "/export"));

        string message = await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "AccessDeniedException");
        Assert.Contains("needs the Invoke scope", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_OfAnUnknownExecution_IsResourceNotFound()
    {
        await using DurablyTestServer server = await StartAsync();
        string arn = await StartEchoAsync(server);
        string unknown = arn[..(arn.LastIndexOf('/') + 1)] + "00000000-0000-0000-0000-000000000000";

        using HttpResponseMessage response = await SendAsync(server, InvokeKey, ApiRequests.Execution(unknown, "/export"));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.NotFound, "ResourceNotFoundException", "Message");
    }

    private static Task<DurablyTestServer> StartAsync() => DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(), options =>
    {
        options.ScopedApiKeys.Add(new DurablyApiKey { Key = InvokeKey, Scopes = { DurablyApiScope.Invoke } });
        options.ScopedApiKeys.Add(new DurablyApiKey { Key = WorkerKey, Scopes = { DurablyApiScope.DataPlane } });
    });

    private static async Task<string> StartEchoAsync(DurablyTestServer server)
    {
        string arn = (await server.Engine.StartExecutionAsync("echo", "\"hello\"")).DurableExecutionArn;
        await server.Engine.WaitForCompletionAsync(arn).WaitAsync(TimeSpan.FromSeconds(10));
        return arn;
    }

    private static async Task<HttpResponseMessage> SendAsync(DurablyTestServer server, string key, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", key);
        return await server.Client.SendAsync(request);
    }
}
