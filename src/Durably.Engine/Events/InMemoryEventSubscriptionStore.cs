namespace Durably.Engine.Storage;

/// <summary>An <see cref="IEventSubscriptionStore"/> in process memory: run-time subscriptions end with the process.</summary>
public sealed class InMemoryEventSubscriptionStore : IEventSubscriptionStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, EventSubscription> _subscriptions = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task SaveAsync(EventSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        lock (_lock)
        {
            _subscriptions[subscription.Name] = subscription;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_subscriptions.Remove(name));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EventSubscription>> LoadAllAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<EventSubscription>>([.. _subscriptions.Values]);
        }
    }
}
