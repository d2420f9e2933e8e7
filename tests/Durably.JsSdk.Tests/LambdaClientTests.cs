using System.Text.Json;
using System.Text.Json.Nodes;
using Durably.Engine;
using Durably.Protocol;
using Durably.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Durably.JsSdk.Tests;

/// <summary>
/// AWS's own JavaScript Lambda client (@aws-sdk/client-lambda), pointed at a real Durably server
/// (Kestrel on loopback, SQLite store) with dummy credentials: every durable-execution call parses
/// without error and returns what the .NET side stored.
/// </summary>
public sealed class LambdaClientTests : IAsyncLifetime
{
    private readonly TempSqliteFile _database = new();
    private WebApplication? _app;
    private Uri? _address;

    private sealed record Order(string OrderId);

    private sealed record Approval(bool Approved);

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        builder.Services.AddDurably()
            .UseSqlite(_database.ConnectionString)
            .AddFunction<Order, string>("approval-flow", async (order, context) =>
            {
                await context.StepAsync((_, _) => Task.FromResult(order.OrderId.Length), "validate");
                ICallback<Approval> approval = await context.CreateCallbackAsync<Approval>("approval", new CallbackConfig { Timeout = TimeSpan.FromMinutes(5) });
                Approval answer = await approval.GetResultAsync();
                return answer.Approved ? $"approved {order.OrderId}" : $"declined {order.OrderId}";
            })
            .AddFunction<string, string>("echo", (text, context) => context.StepAsync((_, _) => Task.FromResult(text), "echo"));
        _app = builder.Build();
        _app.MapDurably();
        _address = await LoopbackApp.StartAsync(_app);
    }

    [Fact]
    public async Task EveryDurableCall_ParsesAndReturnsWhatTheServerStored()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        string url = _address!.ToString().TrimEnd('/');
        string output = await NodeHarness.RunScriptAsync("drive-lambda-client.mjs", [url, "approval-flow", "echo", "js"], timeout.Token);
        JsonNode report = JsonNode.Parse(output)!;
        DurableEngine engine = _app!.Services.GetRequiredService<DurableEngine>();

        // Invoke (Event) with a durable execution name.
        string approvedArn = (string)report["invoke"]!["arn"]!;
        Assert.Equal(202, (int)report["invoke"]!["statusCode"]!);
        Assert.Equal("1", (string?)report["invoke"]!["executedVersion"]);
        Assert.Contains("/durable-execution/js-approved/", approvedArn, StringComparison.Ordinal);

        // GetDurableExecution while running, then after the callback succeeded.
        DurableExecutionDescription approved = await engine.GetExecutionAsync(approvedArn);
        Assert.Equal("RUNNING", (string?)report["running"]!["Status"]);
        Assert.Equal(approved.StartTimestamp.ToUnixTimeMilliseconds(), (long)report["running"]!["StartTimestamp"]!);
        Assert.Equal("{\"orderId\":\"js-1\"}", (string?)report["running"]!["InputPayload"]);
        Assert.Equal(ExecutionStatus.Succeeded, approved.Status);
        Assert.Equal("SUCCEEDED", (string?)report["approved"]!["Status"]);
        Assert.Equal(approved.Result, (string?)report["approved"]!["Result"]);
        Assert.Equal("\"approved js-1\"", approved.Result);
        Assert.Equal(approved.EndTimestamp!.Value.ToUnixTimeMilliseconds(), (long)report["approved"]!["EndTimestamp"]!);
        Assert.Equal(approved.FunctionArn, (string?)report["approved"]!["FunctionArn"]);

        // The history, as the engine recorded it.
        IReadOnlyList<HistoryEvent> history = (await engine.GetHistoryAsync(approvedArn, null, 1000)).Events;
        JsonArray events = report["history"]!["Events"]!.AsArray();
        Assert.Equal(history.Select(e => e.EventType), events.Select(e => (string)e!["EventType"]!));
        Assert.Equal(history.Select(e => e.EventId), events.Select(e => (int)e!["EventId"]!));
        HistoryEvent callbackSucceeded = history.Single(e => e.EventType == HistoryEventTypes.CallbackSucceeded);
        Assert.Equal("{\"approved\":true}", callbackSucceeded.Details.Result!.Payload);
        Assert.Equal(callbackSucceeded.Details.Result.Payload,
            (string?)events.Single(e => (string)e!["EventType"]! == "CallbackSucceeded")!["CallbackSucceededDetails"]!["Result"]!["Payload"]);

        // Same name, same input: the same execution.
        Assert.Equal(approvedArn, (string?)report["reinvoke"]!["arn"]);

        // Callback failure and stop.
        DurableExecutionDescription rejected = await engine.GetExecutionAsync((string)report["rejected"]!["DurableExecutionArn"]!);
        Assert.Equal(ExecutionStatus.Failed, rejected.Status);
        Assert.Equal("FAILED", (string?)report["rejected"]!["Status"]);
        Assert.Equal(rejected.Error!.ErrorType, (string?)report["rejected"]!["Error"]!["ErrorType"]);
        DurableExecutionDescription stopped = await engine.GetExecutionAsync((string)report["stopped"]!["DurableExecutionArn"]!);
        Assert.Equal(ExecutionStatus.Stopped, stopped.Status);
        Assert.Equal("stopped from JS", stopped.Error!.ErrorMessage);
        Assert.Equal(stopped.EndTimestamp!.Value.ToUnixTimeMilliseconds(), (long)report["stop"]!["StopTimestamp"]!);

        // ListDurableExecutionsByFunction: newest first, and filtered by status.
        string[] listed = report["list"]!["DurableExecutions"]!.AsArray().Select(e => (string)e!["DurableExecutionArn"]!).ToArray();
        Assert.Equal([stopped.DurableExecutionArn, rejected.DurableExecutionArn, approvedArn], listed);
        Assert.Equal([approvedArn], report["listSucceeded"]!["DurableExecutions"]!.AsArray().Select(e => (string)e!["DurableExecutionArn"]!));

        // A synchronous invoke answers the result as the payload.
        Assert.Equal(200, (int)report["sync"]!["statusCode"]!);
        Assert.Equal("\"hello\"", (string?)report["sync"]!["payload"]);
        Assert.Null(report["sync"]!["functionError"]);

        // Errors parse as Lambda's exceptions.
        Assert.Equal("ResourceNotFoundException", (string?)report["notFound"]!["name"]);
        Assert.Equal(404, (int)report["notFound"]!["status"]!);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _database.Delete();
    }
}
