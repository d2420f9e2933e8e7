using System.Threading.Channels;
using Durably.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Durably.TestSupport;

/// <summary>What a webhook receiver got: the raw body, the headers Durably sets, and the event's id, ARN and status.</summary>
public sealed record WebhookRequest(string Body, string? Signature, string? DeliveryId, string EventId, string Arn, string Status);

/// <summary>A webhook receiver on 127.0.0.1 (Kestrel) answering with the status code the test chooses; it records every request.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;
    private readonly Channel<WebhookRequest> _received = Channel.CreateUnbounded<WebhookRequest>();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int Pending => _received.Reader.Count;

    public static Task<WebhookReceiver> StartAsync(Func<WebhookRequest, int> answer) => StartAsync(request => Task.FromResult(answer(request)));

    /// <summary>A receiver whose answer may wait (to hold a request in flight).</summary>
    public static async Task<WebhookReceiver> StartAsync(Func<WebhookRequest, Task<int>> answer)
    {
        WebApplication app = LoopbackApp.CreateBuilder().Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            string body = await new StreamReader(request.Body).ReadToEndAsync();
            using var json = System.Text.Json.JsonDocument.Parse(body);
            System.Text.Json.JsonElement detail = json.RootElement.GetProperty("detail");
            var received = new WebhookRequest(body, request.Headers[WebhookSignature.Header], request.Headers[WebhookSignature.DeliveryIdHeader],
                json.RootElement.GetProperty("id").GetString()!, detail.GetProperty("durableExecutionArn").GetString()!, detail.GetProperty("status").GetString()!);
            receiver._received.Writer.TryWrite(received);
            return Results.StatusCode(await answer(received));
        });
        receiver.Url = new Uri(await LoopbackApp.StartAsync(app), "hook");
        return receiver;
    }

    public async Task<WebhookRequest> NextAsync()
    {
        try
        {
            return await _received.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The receiver got no webhook request within {Wait.TotalSeconds} s.");
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
