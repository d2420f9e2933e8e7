using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Durably;

/// <summary>The SQLite store on <see cref="IDurablyBuilder"/>.</summary>
public static class SqliteDurablyBuilderExtensions
{
    /// <summary>
    /// Keeps executions, and the HTTP functions and webhook subscriptions added at run time, in one SQLite file (API.md §3), e.g.
    /// <c>UseSqlite("Data Source=durably.db")</c>. The schema is created or migrated when the store is first resolved.
    /// SQLite is single-process, so this also turns on
    /// <see cref="DurablyOptions.ReclaimLeasesOnStart"/>: invocations a previous process left in flight are retried at once.
    /// </summary>
    public static IDurablyBuilder UseSqlite(this IDurablyBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return builder.UseSqlite(options => options.ConnectionString = connectionString);
    }

    /// <summary>Keeps executions in one SQLite file configured by <paramref name="configure"/>; see <see cref="UseSqlite(IDurablyBuilder, string)"/>.</summary>
    public static IDurablyBuilder UseSqlite(this IDurablyBuilder builder, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SqliteStoreOptions();
        configure(options);
        SqliteConnections.Validate(options);
        builder.Services.Replace(ServiceDescriptor.Singleton<IExecutionStore>(_ => new SqliteExecutionStore(options)));
        builder.Services.Replace(ServiceDescriptor.Singleton<IFunctionRegistrationStore>(_ => new SqliteFunctionRegistrationStore(options)));
        builder.Services.Replace(ServiceDescriptor.Singleton<IEventSubscriptionStore>(_ => new SqliteEventSubscriptionStore(options)));
        foreach (ServiceDescriptor descriptor in builder.Services.Where(descriptor => descriptor.ServiceType == typeof(DurablyOptions)))
        {
            if (descriptor.ImplementationInstance is DurablyOptions durably)
            {
                durably.ReclaimLeasesOnStart = true;
            }
        }

        return builder;
    }
}
