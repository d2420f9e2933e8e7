using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Durably;

/// <summary>The PostgreSQL store on <see cref="IDurablyBuilder"/>.</summary>
public static class PostgresDurablyBuilderExtensions
{
    /// <summary>
    /// Keeps executions, and the HTTP functions and webhook subscriptions added at run time, in one PostgreSQL database
    /// that several nodes may share, e.g. <c>UsePostgres("Host=db;Database=durably;Username=durably;Password=…")</c>
    /// (docs/operations.md). The schema is created or migrated when the store is first resolved. Unlike <c>UseSqlite</c>
    /// this leaves <see cref="DurablyOptions.ReclaimLeasesOnStart"/> off: a starting node must not abandon the
    /// invocations other nodes are running; a dead node's invocations are retried when their leases expire.
    /// </summary>
    public static IDurablyBuilder UsePostgres(this IDurablyBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return builder.UsePostgres(options => options.ConnectionString = connectionString);
    }

    /// <summary>Keeps executions in the PostgreSQL database configured by <paramref name="configure"/>; see <see cref="UsePostgres(IDurablyBuilder, string)"/>.</summary>
    public static IDurablyBuilder UsePostgres(this IDurablyBuilder builder, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgresStoreOptions();
        configure(options);
        options.Validate();
        builder.Services.TryAddSingleton(_ => PostgresExecutionStore.OpenAsync(options).GetAwaiter().GetResult());
        builder.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(services => services.GetRequiredService<PostgresExecutionStore>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IFunctionRegistrationStore>(services => new PostgresFunctionRegistrationStore(services.GetRequiredService<PostgresExecutionStore>())));
        builder.Services.Replace(ServiceDescriptor.Singleton<IEventSubscriptionStore>(services => new PostgresEventSubscriptionStore(services.GetRequiredService<PostgresExecutionStore>())));
        return builder;
    }
}
