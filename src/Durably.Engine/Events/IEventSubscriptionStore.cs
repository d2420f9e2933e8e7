namespace Durably.Engine.Storage;

/// <summary>
/// Where the webhook subscriptions added at run time (<c>POST /durably/subscriptions</c>) are kept, so that they survive a
/// restart: <see cref="WebhookDeliverer"/> saves each one before answering and loads them all back when it starts.
/// A write's task completes only once it is durable.
/// </summary>
public interface IEventSubscriptionStore
{
    /// <summary>Saves <paramref name="subscription"/>, replacing a saved one of the same name.</summary>
    Task SaveAsync(EventSubscription subscription, CancellationToken cancellationToken = default);

    /// <summary>Removes the subscription of that name; false when none was saved.</summary>
    Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every saved subscription, by name.</summary>
    Task<IReadOnlyList<EventSubscription>> LoadAllAsync(CancellationToken cancellationToken = default);
}
