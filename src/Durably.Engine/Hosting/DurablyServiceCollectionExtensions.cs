using Durably;
using Durably.Engine;
using Durably.Engine.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Durably engine.</summary>
public static class DurablyServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine, the in-process <see cref="IDurableClient"/> and the hosted dispatcher. Choose a
    /// store with <c>UseInMemoryStore()</c> (or <c>UseSqlite</c>/<c>UsePostgres</c>) and add functions with <c>AddFunction</c>.
    /// Run-time HTTP function registrations (<see cref="RuntimeFunctionRegistrations"/>) are kept in memory unless the
    /// store also provides an <see cref="IFunctionRegistrationStore"/> (<c>UseSqlite</c> does).
    /// </summary>
    public static IDurablyBuilder AddDurably(this IServiceCollection services, Action<DurablyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new DurablyOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider =>
        {
            TimeProvider time = provider.GetRequiredService<TimeProvider>();
            ILoggerFactory? loggerFactory = provider.GetService<ILoggerFactory>();
            IHttpClientFactory httpClients = provider.GetRequiredService<IHttpClientFactory>();
            var registry = new FunctionRegistry(provider.GetServices<FunctionDescriptor>()
                .Select(descriptor => descriptor.ToRegisteredFunction(loggerFactory, time, httpClients)));
            IExecutionStore store = provider.GetService<IExecutionStore>()
                ?? throw new InvalidOperationException("No Durably store is configured: call UseInMemoryStore(), UseSqlite(…) or UsePostgres(…) on AddDurably().");
            return new DurableEngine(store, registry, time, provider.GetRequiredService<DurablyOptions>(), loggerFactory);
        });
        // The client HTTP functions are invoked with; users add handlers or a timeout with AddHttpClient(HttpFunction.HttpClientName).
        services.AddHttpClient(HttpFunction.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(HttpFunction.CreatePrimaryHandler)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton<IFunctionRegistrationStore, InMemoryFunctionRegistrationStore>();
        services.TryAddSingleton(provider => new RuntimeFunctionRegistrations(
            provider.GetRequiredService<DurableEngine>(), provider.GetRequiredService<IFunctionRegistrationStore>(), provider.GetService<ILoggerFactory>(),
            provider.GetRequiredService<IHttpClientFactory>()));
        services.TryAddSingleton<IDurableClient>(provider => new EngineDurableClient(provider.GetRequiredService<DurableEngine>()));
        services.AddHostedService<DurablyHostedService>();
        EventSubscriptionBuilderExtensions.AddEventDelivery(services);
        return new DurablyBuilder(services);
    }

    private sealed class DurablyBuilder(IServiceCollection services) : IDurablyBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
