using System.Text.Json;
using Durably.Engine;
using Durably.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Worker.Tests;

/// <summary>What an HTTP function receives (WIRE-DETAILS.md §C.1) and how its output is read (§C.2).</summary>
public sealed class EnvelopeContractTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Envelope_HasTheExecutionOperationFirst_WithMillisecondTimestamps_AndTheOutputIsTheResult()
    {
        string? body = null;
        string? deadline = null, functionArn = null, contentType = null;
        await using TestServer worker = await TestServer.StartAppAsync(app => app.MapPost("/fn", async context =>
        {
            body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            deadline = context.Request.Headers[HttpFunction.DeadlineHeader];
            functionArn = context.Request.Headers[HttpFunction.FunctionArnHeader];
            contentType = context.Request.ContentType;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"Status":"SUCCEEDED","Result":"\"done\""}""");
        }));
        await using TestServer server = await TestServer.StartDurablyAsync(new FakeTimeProvider(Start), durably =>
            durably.AddHttpFunction("fn", new Uri(worker.Address, "fn"), function => function.Version = "3"));

        string arn = (await server.Client.StartAsync("fn", new { orderId = 42 }, "order-42")).DurableExecutionArn;
        string result = (await server.Client.WaitForResultAsync<string>(arn).WaitAsync(TimeSpan.FromSeconds(10)))!;

        Assert.Equal("done", result);
        using JsonDocument envelope = JsonDocument.Parse(body!);
        JsonElement root = envelope.RootElement;
        Assert.Equal(arn, root.GetProperty("DurableExecutionArn").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("CheckpointToken").GetString()));
        JsonElement execution = root.GetProperty("InitialExecutionState").GetProperty("Operations")[0];
        Assert.Equal("EXECUTION", execution.GetProperty("Type").GetString());
        Assert.Equal(arn[(arn.LastIndexOf('/') + 1)..], execution.GetProperty("Id").GetString());
        Assert.Equal(JsonValueKind.Number, execution.GetProperty("StartTimestamp").ValueKind);
        Assert.Equal(Start.ToUnixTimeMilliseconds(), execution.GetProperty("StartTimestamp").GetInt64());
        Assert.Equal("""{"orderId":42}""", execution.GetProperty("ExecutionDetails").GetProperty("InputPayload").GetString());
        Assert.Equal((Start + TimeSpan.FromMinutes(15)).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), deadline);
        Assert.Equal("arn:aws:lambda:local:000000000000:function:fn:3", functionArn);
        Assert.Equal("application/json", contentType);
    }
}
