using Durably.Engine;
using Durably.Engine.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Durably;

/// <summary>Webhook subscriptions to status-change events on <see cref="IDurablyBuilder"/> (docs/events.md).</summary>
public static class EventSubscriptionBuilderExtensions
{
    /// <summary>
    /// Adds the webhook deliverer's services (<c>AddDurably</c> calls it; its hosted service runs the deliverer): the subscriptions added at run time are kept in
    /// memory unless the store provides an <see cref="IEventSubscriptionStore"/> (<c>UseSqlite</c> does).
    /// </summary>
    internal static void AddEventDelivery(IServiceCollection services)
    {
        services.TryAddSingleton<IEventSubscriptionStore, InMemoryEventSubscriptionStore>();
        services.TryAddSingleton(new EventDeliveryOptions());
        services.TryAddSingleton(provider => new WebhookDeliverer(
            provider.GetRequiredService<IExecutionStore>(), provider.GetServices<EventSubscription>(), provider.GetRequiredService<EventDeliveryOptions>(),
            provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<IEventSubscriptionStore>(), provider.GetService<ILogger<WebhookDeliverer>>()));
    }

    /// <summary>
    /// POSTs the status-change events matching <paramref name="pattern"/> (an EventBridge event pattern) to
    /// <paramref name="url"/>, signed with <paramref name="secret"/>, at least once and in order per execution.
    /// </summary>
    /// <exception cref="EventPatternException">The pattern is not valid.</exception>
    /// <exception cref="ArgumentException">The name is empty or taken, the URL not an absolute http(s) URL, or the secret empty.</exception>
    public static IDurablyBuilder AddEventSubscription(this IDurablyBuilder builder, string name, Uri url, string pattern, string secret)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        HttpFunction.CheckEndpoint(url);
        if (builder.Services.Any(service => service.ImplementationInstance is EventSubscription existing && existing.Name == name))
        {
            throw new ArgumentException($"An event subscription named '{name}' is already registered.", nameof(name));
        }

        builder.Services.AddSingleton(new EventSubscription { Name = name, Url = url, Pattern = EventPattern.Parse(pattern), Secret = secret });
        return builder;
    }

    /// <summary>Sets how webhooks are delivered (attempts, back-off, timeouts).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one attempt, or a delay or timeout that is not positive.</exception>
    public static IDurablyBuilder ConfigureEventDelivery(this IDurablyBuilder builder, Action<EventDeliveryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new EventDeliveryOptions();
        configure(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1, nameof(options.MaxAttempts));
        foreach ((TimeSpan value, string name) in (ReadOnlySpan<(TimeSpan, string)>)[(options.FirstRetryDelay, nameof(options.FirstRetryDelay)),
            (options.MaxRetryDelay, nameof(options.MaxRetryDelay)), (options.AttemptTimeout, nameof(options.AttemptTimeout)), (options.PollInterval, nameof(options.PollInterval))])
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, name);
        }

        builder.Services.Replace(ServiceDescriptor.Singleton(options));
        return builder;
    }
}
