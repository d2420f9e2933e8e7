using System.Globalization;
using System.Text;
using System.Text.Json;
using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Durably.Server.Routes;

/// <summary>
/// <c>GET /durably/stream</c>: the engine's <see cref="ExecutionChangeFeed"/> as server-sent events (docs/server.md), one
/// <c>execution</c> event per committed change and a <c>status-change</c> event per status change (the outbox's envelope),
/// filterable by function and execution, resumable with <c>Last-Event-ID</c>.
/// It ends when the client goes away or the server stops.
/// </summary>
internal static class ExecutionChangeStream
{
    /// <summary>A comment line this often keeps proxies and idle timeouts from closing a quiet stream.</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    private const string LastEventIdHeader = "Last-Event-ID";

    public static async Task RunAsync(DurableEngine engine, HttpContext context)
    {
        var query = new QueryParameters(context.Request.Query);
        ExecutionChangeFilter filter = ParseFilter(query);
        long? lastEventId = ParseLastEventId(context, query);
        using ExecutionChangeSubscription subscription = engine.Changes.Subscribe(filter, lastEventId);

        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        // Sends the headers now: a client's fetch() resolves once they arrive, before the first change.
        await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);

        CancellationToken serverStopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, serverStopping);
        try
        {
            while (true)
            {
                ExecutionChangeBatch batch = await subscription.ReadAsync(KeepAliveInterval, stop.Token).ConfigureAwait(false);
                await response.WriteAsync(Format(batch, subscription.Position), stop.Token).ConfigureAwait(false);
                await response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The client disconnected or the server is stopping: the stream ends; disposing unsubscribes.
        }
    }

    private static string Format(ExecutionChangeBatch batch, long position)
    {
        if (batch.Reset)
        {
            // The id lets a client that reconnects after the reset resume from here.
            return string.Create(CultureInfo.InvariantCulture, $"id: {position}\nevent: reset\ndata: {{}}\n\n");
        }

        if (batch.Notices.Count == 0)
        {
            return ": keep-alive\n\n";
        }

        var text = new StringBuilder();
        foreach (ExecutionChangeNotice notice in batch.Notices)
        {
            if (!notice.Overtaken)
            {
                string data = JsonSerializer.Serialize(new ExecutionChangeEvent(notice.DurableExecutionArn, notice.DurableExecutionName, notice.FunctionArn,
                    notice.Version, notice.Status, notice.StartTimestamp, notice.EndTimestamp, notice.HistoryEventCount), DurablyJson.Api);
                text.Append(CultureInfo.InvariantCulture, $"id: {notice.Sequence}\nevent: execution\ndata: {data}\n\n");
            }

            // The envelope as webhooks receive it (docs/events.md), after the change's execution event, under the same id.
            foreach (StatusChangeEvent statusEvent in notice.StatusEvents ?? [])
            {
                text.Append(CultureInfo.InvariantCulture, $"id: {notice.Sequence}\nevent: status-change\ndata: {JsonSerializer.Serialize(statusEvent)}\n\n");
            }
        }

        return text.ToString();
    }

    private static ExecutionChangeFilter ParseFilter(QueryParameters query)
    {
        string? functionName = query.GetString("FunctionName");
        FunctionReference? function = functionName is null ? null : FunctionReference.Parse(functionName, query.GetString("Qualifier"));
        string? version = function?.Qualifier is null or FunctionRegistry.Latest ? null : function.Qualifier;
        return ExecutionChangeFilter.Create(function?.Name, version, query.GetString("DurableExecutionArn"));
    }

    private static long? ParseLastEventId(HttpContext context, QueryParameters query)
    {
        string? header = context.Request.Headers[LastEventIdHeader].Count > 0 ? context.Request.Headers[LastEventIdHeader].ToString() : null;
        string? value = header ?? query.GetString("LastEventId");
        if (value is null || value.Length == 0)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long id)
            ? id
            : throw ApiErrors.InvalidParameter($"Last-Event-ID '{QueryParameters.Shorten(value)}' is not an event id of this stream.");
    }

    /// <summary>The <c>data</c> of an <c>execution</c> event.</summary>
    private sealed record ExecutionChangeEvent(
        string DurableExecutionArn, string DurableExecutionName, string FunctionArn, string Version, ExecutionStatus Status,
        DateTimeOffset StartTimestamp, DateTimeOffset? EndTimestamp, int HistoryEventCount);
}
