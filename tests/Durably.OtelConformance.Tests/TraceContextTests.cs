using System.Diagnostics;
using System.Net.Http.Json;
using Durably.Engine;
using Durably.Protocol;
using Durably.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Durably.OtelConformance;

/// <summary>W3C trace context flows from the engine into HTTP functions, and from the request into the function's spans.</summary>
[Collection(SpanCollection.Name)]
public sealed class TraceContextTests
{
    private const string Arn = "arn:aws:lambda:local:000000000000:function:traced:1/durable-execution/e1/i1";

    [Fact]
    public async Task The_engine_sends_the_traceparent_of_its_Invoke_span_to_an_HTTP_function()
    {
        using var spans = new SpanCapture();
        var received = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        await using WebApplication function = builder.Build();
        function.MapPost("/fn", (HttpContext context) =>
        {
            received.TrySetResult(context.Request.Headers.TraceParent.Count == 1 ? context.Request.Headers.TraceParent[0] : $"{context.Request.Headers.TraceParent.Count} headers");
            return Results.Text("""{"Status":"SUCCEEDED","Result":"\"ok\""}""", "application/json");
        });
        Uri address = await LoopbackApp.StartAsync(function);

        InvocationHandler handler = HttpFunction.CreateHandler(new Uri(address, "fn"), TimeSpan.FromSeconds(30));
        DurableExecutionInvocationOutput output = await handler(Envelope(), null!, CancellationToken.None);

        Assert.Equal(InvocationStatus.Succeeded, output.Status);
        Activity invoke = Assert.Single(spans.Stopped, a => a.DisplayName == "Invoke");
        Assert.Equal(ActivityKind.Client, invoke.Kind);
        Assert.Equal(invoke.Id, await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_worker_parents_its_Invocation_span_on_the_request_traceparent()
    {
        using var spans = new SpanCapture();
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        await using WebApplication worker = builder.Build();
        // No checkpoint is needed for a function that returns at once, so the server address is never called.
        worker.MapDurableFunction<object?, string>("/fn", (_, _) => Task.FromResult("ok"),
            options => options.ServerUrl = new Uri("http://127.0.0.1:9/"));
        Uri address = await LoopbackApp.StartAsync(worker);
        var caller = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        using var http = new HttpClient { BaseAddress = address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "fn")
        {
            Content = JsonContent.Create(Envelope(), options: DurablyJson.Envelope),
        };
        request.Headers.Add("traceparent", $"00-{caller.TraceId.ToHexString()}-{caller.SpanId.ToHexString()}-01");

        using HttpResponseMessage response = await http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Activity invocation = Assert.Single(spans.Stopped, a => a.DisplayName == "Invocation");
        Assert.Equal(caller.TraceId, invocation.TraceId);
        Assert.Equal(caller.SpanId, invocation.ParentSpanId);
    }

    private static DurableExecutionInvocationInput Envelope() => new()
    {
        DurableExecutionArn = Arn,
        CheckpointToken = "token-1",
        InitialExecutionState = new InitialExecutionState
        {
            Operations = [new Operation { Id = "execution", Type = OperationType.Execution, Status = OperationStatus.Started, ExecutionDetails = new ExecutionDetails { InputPayload = "null" } }],
        },
    };
}
