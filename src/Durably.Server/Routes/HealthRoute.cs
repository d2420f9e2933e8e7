using Durably.Engine;
using Durably.Server.Routing;
using Durably.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Durably.Server.Routes;

/// <summary>
/// <c>GET /health</c>, which needs no key: 200 <c>{"Status":"Healthy","Functions":n,"OutboxBacklog":n,"DispatcherLagSeconds":s}</c>
/// once the store answers a read (the backlog: how many status-change events the furthest-behind webhook subscription has yet
/// to go through; the lag: how long ago the earliest timer not yet fired was due, 0 when none is overdue),
/// 503 <c>{"Status":"Unhealthy",…,"Reason":…}</c> when it does not. A keyless server applies its
/// <see cref="KeylessRequestPolicy"/> here too: a page on another host name must not read it (DNS rebinding).
/// </summary>
internal sealed class HealthRoute(DurableEngine engine, WebhookDeliverer deliverer, ApiKeyAuthenticator authenticator, ILogger logger)
{
    public async Task GetAsync(HttpContext context)
    {
        int functions = engine.Functions.GetAll().Select(function => function.Name).Distinct().Count();
        long backlog;
        double lag;
        try
        {
            if (!authenticator.IsEnabled)
            {
                KeylessRequestPolicy.CheckRequest(context);
            }

            // A cheap read that always reaches the store (the next due timer), never a cache.
            DateTimeOffset? nextDue = await engine.GetNextDueTimeAsync(context.RequestAborted).ConfigureAwait(false);
            lag = nextDue is { } due ? Math.Max(0, (engine.TimeProvider.GetUtcNow() - due).TotalSeconds) : 0;
            backlog = await deliverer.BacklogAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (DurableServiceException refused)
        {
            await ApiErrors.WriteAsync(context, refused).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Any failure of the store is what this route reports.
        catch (Exception failure)
#pragma warning restore CA1031
        {
            logger.HealthCheckFailed(failure);
            await ApiResponses.WriteJsonAsync(context, new HealthStatus("Unhealthy", functions, "The execution store could not be read; the server's log has the error."),
                StatusCodes.Status503ServiceUnavailable).ConfigureAwait(false);
            return;
        }

        await ApiResponses.WriteJsonAsync(context, new HealthStatus("Healthy", functions, OutboxBacklog: backlog, DispatcherLagSeconds: lag)).ConfigureAwait(false);
    }

    /// <summary>The answer: the status, how many functions are registered, why it is unhealthy, the webhook backlog and the dispatcher's lag.</summary>
    private sealed record HealthStatus(string Status, int Functions, string? Reason = null, long? OutboxBacklog = null, double? DispatcherLagSeconds = null);
}
