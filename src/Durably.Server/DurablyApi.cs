using Durably.Engine;
using Durably.Server.Routes;
using Durably.Server.Routing;
using Durably.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Durably.Server;

/// <summary>
/// The one request handler behind every Durably route: authenticates (and checks the key's scope, or a keyless
/// server's browser rules), routes on the raw path, decodes
/// the path parameter, runs the operation, and turns every failure into Lambda's error response. Bad
/// input is always a 4xx; a 5xx means a bug or an unavailable store.
/// </summary>
internal sealed class DurablyApi(
    DurableEngine engine, RuntimeFunctionRegistrations registrations, DurablyOptions engineOptions, DurablyServerOptions options,
    ApiKeyAuthenticator authenticator, FunctionEndpointPolicy endpointPolicy, WebhookDeliverer deliverer, ILogger logger)
{
    private readonly EventSubscriptionRoutes _subscriptions = new(deliverer, endpointPolicy);
    private readonly HttpFunctionRoutes _httpFunctions = new(registrations, engineOptions, endpointPolicy);
    private readonly InvokeRoutes _invoke = new(engine, options);
    private readonly FunctionRoutes _functions = new(engine, engineOptions);
    private readonly ExecutionRoutes _executions = new(engine);
    private readonly CheckpointRoutes _checkpoints = new(engine);
    private readonly CallbackRoutes _callbacks = new(engine);
    private readonly ConsoleRoutes _console = new(engine);

    public async Task HandleAsync(HttpContext context)
    {
        string rawPath = RawPathOf(context);
        ApiRoute? route = null;
        try
        {
            IReadOnlySet<DurablyApiScope> granted = authenticator.Authenticate(context);
            route = ApiRouter.Match(rawPath, context.Request.Method) ?? throw ApiErrors.NoSuchRoute(context.Request.Method, QueryParameters.Shorten(rawPath));
            if (!HttpMethods.Equals(context.Request.Method, route.Method))
            {
                context.Response.Headers.Allow = route.Method;
                throw new DurableServiceException(ApiErrors.UnknownOperation, StatusCodes.Status405MethodNotAllowed,
                    $"{route.Operation} takes {route.Method}, not {QueryParameters.Shorten(context.Request.Method)}.");
            }

            ApiKeyAuthenticator.Require(granted, route.Operation);
            if (!authenticator.IsEnabled)
            {
                KeylessRequestPolicy.CheckContentType(context, OperationAccess.TakesJsonBody(route.Operation));
            }

            string parameter = route.RawParameter is null ? "" : PercentEncoding.Decode(route.RawParameter, ParameterName(route.Operation));
            await RunAsync(route.Operation, context, parameter).ConfigureAwait(false);
        }
        catch (DurableServiceException error) when (!context.Response.HasStarted)
        {
            await ApiErrors.WriteAsync(context, error).ConfigureAwait(false);
        }
        catch (BadHttpRequestException error) when (!context.Response.HasStarted)
        {
            // Kestrel's own limits (body size, a client that stops sending) surface while the body is read.
            await ApiErrors.WriteAsync(context, error.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ServiceErrorCodes.TooLarge("The request body is too large.")
                : ServiceErrorCodes.InvalidParameter($"The request could not be read: {error.Message}")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
#pragma warning disable CA1031 // Whatever escapes becomes Lambda's ServiceException, never a bare 500 page.
        catch (Exception exception) when (!context.Response.HasStarted)
#pragma warning restore CA1031
        {
            // The path names callback ids and execution ARNs (and a query may carry a checkpoint token): log the operation only.
            logger.RequestFailed(exception, context.Request.Method, route?.Operation.ToString() ?? "an unknown route");
            await ApiErrors.WriteAsync(context, new DurableServiceException(ServiceErrorCodes.Service, 500, "The server failed to process the request.")).ConfigureAwait(false);
        }
    }

    private Task RunAsync(ApiOperation operation, HttpContext context, string parameter) => operation switch
    {
        ApiOperation.Invoke => _invoke.InvokeAsync(context, parameter),
        ApiOperation.ListFunctions => _functions.ListFunctionsAsync(context),
        ApiOperation.ListVersionsByFunction => _functions.ListVersionsAsync(context, parameter),
        ApiOperation.ListDurableExecutionsByFunction => _executions.ListAsync(context, parameter),
        ApiOperation.GetDurableExecution => _executions.GetAsync(context, parameter),
        ApiOperation.GetDurableExecutionHistory => _executions.GetHistoryAsync(context, parameter),
        ApiOperation.ExportDurableExecution => _executions.ExportAsync(context, parameter),
        ApiOperation.StopDurableExecution => _executions.StopAsync(context, parameter),
        ApiOperation.GetDurableExecutionState => _checkpoints.GetStateAsync(context, parameter),
        ApiOperation.CheckpointDurableExecution => _checkpoints.CheckpointAsync(context, parameter),
        ApiOperation.SendDurableExecutionCallbackSuccess => _callbacks.SucceedAsync(context, parameter),
        ApiOperation.SendDurableExecutionCallbackFailure => _callbacks.FailAsync(context, parameter),
        ApiOperation.SendDurableExecutionCallbackHeartbeat => _callbacks.HeartbeatAsync(context, parameter),
        ApiOperation.RegisterHttpFunction => _httpFunctions.RegisterAsync(context),
        ApiOperation.RemoveHttpFunction => _httpFunctions.RemoveAsync(context, parameter),
        ApiOperation.StreamExecutionChanges => ExecutionChangeStream.RunAsync(engine, context),
        ApiOperation.CountDurableExecutionsByFunction => _console.CountAsync(context, parameter),
        ApiOperation.ListFunctionDetails => _console.ListFunctionsAsync(context),
        ApiOperation.AddEventSubscription => _subscriptions.AddAsync(context),
        ApiOperation.ListEventSubscriptions => _subscriptions.ListAsync(context),
        ApiOperation.RemoveEventSubscription => _subscriptions.RemoveAsync(context, parameter),
        ApiOperation.ListEventSubscriptionDeadLetters => _subscriptions.ListDeadLettersAsync(context, parameter),
        ApiOperation.RedeliverEventSubscriptionDeadLetter => _subscriptions.RedeliverAsync(context, parameter),
        _ => throw new InvalidOperationException($"No handler for {operation}."),
    };

    private static string ParameterName(ApiOperation operation) => operation switch
    {
        ApiOperation.Invoke or ApiOperation.ListVersionsByFunction or ApiOperation.ListDurableExecutionsByFunction
            or ApiOperation.RemoveHttpFunction or ApiOperation.CountDurableExecutionsByFunction => "FunctionName",
        ApiOperation.SendDurableExecutionCallbackSuccess or ApiOperation.SendDurableExecutionCallbackFailure
            or ApiOperation.SendDurableExecutionCallbackHeartbeat => "CallbackId",
        ApiOperation.RemoveEventSubscription or ApiOperation.ListEventSubscriptionDeadLetters
            or ApiOperation.RedeliverEventSubscriptionDeadLetter => "Name",
        _ => "DurableExecutionArn",
    };

    /// <summary>
    /// The request path as sent, still percent-encoded: Kestrel's decoded path would already have turned an
    /// encoded ARN's <c>%2F</c> ambiguous (WIRE-DETAILS.md §D.0).
    /// </summary>
    private static string RawPathOf(HttpContext context)
    {
        string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        int query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string rawPath = query < 0 ? rawTarget : rawTarget[..query];
        if (!rawPath.StartsWith('/'))
        {
            // Absolute-form target (through a proxy), or a host without a raw target: fall back to the escaped path.
            rawPath = Uri.TryCreate(rawPath, UriKind.Absolute, out Uri? absolute)
                ? absolute.AbsolutePath
                : context.Request.PathBase.ToUriComponent() + context.Request.Path.ToUriComponent();
        }

        string pathBase = context.Request.PathBase.ToUriComponent();
        return pathBase.Length > 0 && rawPath.StartsWith(pathBase, StringComparison.Ordinal) ? rawPath[pathBase.Length..] : rawPath;
    }
}
