using Durably.Engine;
using Microsoft.Extensions.Hosting;

namespace Durably;

/// <summary>Runs the engine's dispatcher, and beside it the webhook deliverer, for the lifetime of the host.</summary>
internal sealed class DurablyHostedService(DurableEngine engine, RuntimeFunctionRegistrations registrations, WebhookDeliverer deliverer) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the engine dispatches anything: the invocations it reclaims and the timers it fires at start may
        // belong to HTTP functions registered at run time by a previous process.
        await registrations.LoadAsync(cancellationToken).ConfigureAwait(false);
        await engine.StartAsync(cancellationToken).ConfigureAwait(false);
        await deliverer.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await deliverer.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await engine.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
