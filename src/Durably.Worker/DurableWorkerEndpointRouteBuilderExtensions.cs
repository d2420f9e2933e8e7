using System.Text.Json;
using Durably;
using Durably.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Exposes durable functions of an ASP.NET Core app to a Durably server (docs/http-functions.md): register the
/// endpoint on the server with <c>AddHttpFunction</c> or <c>durably functions add --url</c>.
/// </summary>
public static class DurableWorkerEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c>: reads the invocation envelope (PROTOCOL.md §2.10), runs
    /// <paramref name="handler"/> with <see cref="DurableFunction.WrapAsync{TInput, TOutput}"/>, checkpointing through
    /// the server's REST API, and answers the invocation output. An envelope that cannot be read answers 400; an
    /// invocation-level failure (the server refused a checkpoint, say) answers 500 with Lambda's function error body
    /// <c>{"errorType","errorMessage"}</c>, which the server records and retries.
    /// </summary>
    public static IEndpointConventionBuilder MapDurableFunction<TInput, TOutput>(
        this IEndpointRouteBuilder endpoints, string pattern, Func<TInput, IDurableContext, Task<TOutput>> handler,
        Action<DurableWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return endpoints.MapInvocation(pattern, configure,
            (envelope, client, options, cancellationToken) => DurableFunction.WrapAsync(handler, envelope, client, options, cancellationToken));
    }

    /// <summary>Maps a durable function without a result; see <see cref="MapDurableFunction{TInput, TOutput}"/>.</summary>
    public static IEndpointConventionBuilder MapDurableFunction<TInput>(
        this IEndpointRouteBuilder endpoints, string pattern, Func<TInput, IDurableContext, Task> handler,
        Action<DurableWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return endpoints.MapInvocation(pattern, configure,
            (envelope, client, options, cancellationToken) => DurableFunction.WrapAsync(handler, envelope, client, options, cancellationToken));
    }

    private static IEndpointConventionBuilder MapInvocation(
        this IEndpointRouteBuilder endpoints, string pattern, Action<DurableWorkerOptions>? configure,
        Func<DurableExecutionInvocationInput, IDurableExecutionClient, DurableFunctionOptions, CancellationToken, Task<DurableExecutionInvocationOutput>> run)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        IServiceProvider services = endpoints.ServiceProvider;
        var worker = new DurableWorkerOptions();
        services.GetService<IConfiguration>()?.GetSection(DurableWorkerOptions.ConfigurationSection).Bind(worker);
        configure?.Invoke(worker);
        if (worker.ServerUrl is not { IsAbsoluteUri: true } serverUrl)
        {
            throw new InvalidOperationException(
                $"MapDurableFunction(\"{pattern}\"): DurableWorkerOptions.ServerUrl (configuration {DurableWorkerOptions.ConfigurationSection}:ServerUrl) must be the Durably server's absolute URL.");
        }

        // One connection pool per mapped function, for the app's lifetime.
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            BaseAddress = serverUrl.AbsoluteUri.EndsWith('/') ? serverUrl : new Uri(serverUrl.AbsoluteUri + "/"),
        };
        var client = new HttpDurableExecutionClient(http, worker.ApiKey);
        var options = new DurableFunctionOptions
        {
            Serializer = worker.Serializer,
            LoggerFactory = services.GetService<ILoggerFactory>(),
            FunctionName = worker.FunctionName ?? pattern.Trim('/'),
            TimeProvider = services.GetService<TimeProvider>(),
        };
        return endpoints.MapPost(pattern, context => InvokeAsync(context, client, options, run));
    }

    private static async Task InvokeAsync(
        HttpContext context, IDurableExecutionClient client, DurableFunctionOptions options,
        Func<DurableExecutionInvocationInput, IDurableExecutionClient, DurableFunctionOptions, CancellationToken, Task<DurableExecutionInvocationOutput>> run)
    {
        DurableExecutionInvocationInput? envelope;
        try
        {
            envelope = await JsonSerializer.DeserializeAsync<DurableExecutionInvocationInput>(context.Request.Body, DurablyJson.Envelope, context.RequestAborted)
                .ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, FunctionError("InvalidEnvelope", $"The body is not an invocation envelope: {exception.Message}")).ConfigureAwait(false);
            return;
        }

        if (envelope is null)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, FunctionError("InvalidEnvelope", "The body is not an invocation envelope.")).ConfigureAwait(false);
            return;
        }

        DurableExecutionInvocationOutput output;
        try
        {
            string? traceParent = context.Request.Headers.TraceParent;
            output = await run(envelope, client, string.IsNullOrEmpty(traceParent) ? options : options with { TraceParent = traceParent }, context.RequestAborted)
                .ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever escapes is Lambda's function error: the invocation failed, not the execution; the server retries it.
        catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
#pragma warning restore CA1031
        {
            string errorType = exception is DurableServiceException service ? service.ErrorCode : exception.GetType().Name;
            await WriteAsync(context, StatusCodes.Status500InternalServerError, FunctionError(errorType, exception.Message)).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(output, DurablyJson.Envelope)).ConfigureAwait(false);
    }

    private static byte[] FunctionError(string errorType, string errorMessage) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["errorType"] = errorType, ["errorMessage"] = errorMessage });

    private static async Task WriteAsync(HttpContext context, int statusCode, byte[] body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
