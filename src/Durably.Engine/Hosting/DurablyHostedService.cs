using Durably.Engine;
using Microsoft.Extensions.Hosting;

namespace Durably;

/// <summary>Runs the engine's dispatcher for the lifetime of the host.</summary>
internal sealed class DurablyHostedService(DurableEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => engine.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => engine.StopAsync(cancellationToken);
}
