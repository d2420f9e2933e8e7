using System.Text.Json;
using Durably.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Tests.Infrastructure;

/// <summary>
/// HTTP functions in a Kestrel app of their own on 127.0.0.1: <c>POST /{path}</c> runs a C# workflow with
/// <see cref="DurableFunction.WrapAsync{TInput, TOutput}"/>, checkpointing through the REST API of the Durably server
/// given to <see cref="ServerStarted"/> (what <c>MapDurableFunction</c> does). A restarted server listens on another
/// port, so invocations wait until the test names the current server.
/// </summary>
public sealed class HttpFunctionWorker : IAsyncDisposable
{
    private readonly WebApplication _app;
    private TaskCompletionSource<Uri> _server = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HttpFunctionWorker(WebApplication app) => _app = app;

    /// <summary>The base URL, ending in <c>/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    public static async Task<HttpFunctionWorker> StartAsync(params (string Path, Func<string, IDurableContext, Task<string>> Workflow)[] functions)
    {
        WebApplication app = LoopbackApp.CreateBuilder().Build();
        var worker = new HttpFunctionWorker(app);
        foreach ((string path, Func<string, IDurableContext, Task<string>> workflow) in functions)
        {
            app.MapPost("/" + path, context => worker.InvokeAsync(context, workflow));
        }

        worker.Address = await LoopbackApp.StartAsync(app);
        return worker;
    }

    /// <summary>The URL of the function at <paramref name="path"/>, for its registration.</summary>
    public string Url(string path) => new Uri(Address, path).AbsoluteUri;

    /// <summary>From now on the functions checkpoint through the server at <paramref name="address"/>.</summary>
    public void ServerStarted(Uri address) => _server.TrySetResult(address);

    /// <summary>The server is gone; invocations wait for the next <see cref="ServerStarted"/>.</summary>
    public void ServerStopped() => _server = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task InvokeAsync(HttpContext context, Func<string, IDurableContext, Task<string>> workflow)
    {
        DurableExecutionInvocationInput envelope = (await JsonSerializer.DeserializeAsync<DurableExecutionInvocationInput>(context.Request.Body, DurablyJson.Envelope))!;
        Uri server = await _server.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var http = new HttpClient { BaseAddress = server };
        DurableExecutionInvocationOutput output = await DurableFunction.WrapAsync<string, string>(workflow, envelope, new HttpDurableExecutionClient(http));
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(output, DurablyJson.Envelope));
    }
}
