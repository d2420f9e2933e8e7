using System.Net;
using System.Text;
using System.Text.Json;
using Durably.TestSupport;
using Durably.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Durably.Worker.Tests;

/// <summary>The worker endpoint's own answers when the request is not a usable invocation.</summary>
public sealed class MapDurableFunctionTests
{
    [Fact]
    public async Task BodyThatIsNotAnEnvelope_Answers400()
    {
        await using TestServer worker = await StartWorkerAsync(new Uri("http://127.0.0.1:9/"));
        using var http = new HttpClient { BaseAddress = worker.Address };

        using HttpResponseMessage response = await http.PostAsync("fn", new StringContent("{\"nope\":1}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using JsonDocument error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("InvalidEnvelope", error.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task ServerThatCannotBeReached_Answers500WithLambdasFunctionError()
    {
        // The envelope's EXECUTION page is complete, but its NextMarker makes the SDK read the rest from the server.
        using var noServer = new UnreachablePort();
        await using TestServer worker = await StartWorkerAsync(noServer.Address);
        using var http = new HttpClient { BaseAddress = worker.Address };
        const string envelope = """
            {"DurableExecutionArn":"arn:aws:lambda:local:000000000000:function:fn:1/durable-execution/n/id","CheckpointToken":"t",
             "InitialExecutionState":{"Operations":[{"Id":"id","Type":"EXECUTION","Status":"STARTED","StartTimestamp":1767225600000,
             "ExecutionDetails":{"InputPayload":"\"x\""}}],"NextMarker":"1"}}
            """;

        using HttpResponseMessage response = await http.PostAsync("fn", new StringContent(envelope, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using JsonDocument error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("HttpRequestException", error.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public void MissingServerUrl_FailsAtMapTime()
    {
        WebApplication app = WebApplication.CreateSlimBuilder().Build();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() =>
            app.MapDurableFunction<string, string>("/fn", (input, _) => Task.FromResult(input)));

        Assert.Contains("Durably:Worker:ServerUrl", error.Message, StringComparison.Ordinal);
    }

    private static Task<TestServer> StartWorkerAsync(Uri server) => TestServer.StartAppAsync(app =>
        app.MapDurableFunction<string, string>("/fn", (input, _) => Task.FromResult(input), options => options.ServerUrl = server));
}
