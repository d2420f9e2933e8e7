using Microsoft.Extensions.Hosting;

namespace Durably.Engine;

/// <summary>Runs the <see cref="WebhookDeliverer"/> for the lifetime of the host, beside (never inside) the engine's commits.</summary>
internal sealed class EventDeliveryService(WebhookDeliverer deliverer) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.Run(() => deliverer.RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();
}
