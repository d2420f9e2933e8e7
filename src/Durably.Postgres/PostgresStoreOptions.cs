using Durably.Engine.Storage;

namespace Durably.Postgres;

/// <summary>Settings of <see cref="PostgresExecutionStore"/> (bound through <c>UsePostgres(…)</c>).</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// An Npgsql connection string, e.g. <c>Host=db;Database=durably;Username=durably;Password=…;Maximum Pool Size=50</c>.
    /// Tables are created in the connection's schema (its <c>Search Path</c>), so several Durably deployments can share a
    /// database in separate schemas.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// How long a timer the dispatcher claimed stays hidden from the other nodes. A node that dies with claimed timers
    /// delays them by at most this; a node that needs longer to fire one lets another node fire it too (harmless, as
    /// every commit is version-checked, only wasted work).
    /// </summary>
    /// <value>Default 10 seconds: firing a claimed batch takes milliseconds.</value>
    public TimeSpan TimerClaimDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest a dispatcher sleeps without looking at the timers (<see cref="ISharedExecutionStore.PollInterval"/>).
    /// Invocations made due by another node wake it at once (LISTEN/NOTIFY); this bounds how late it sees the rest.
    /// </summary>
    /// <value>Default 1 second.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a write or read keeps retrying through transient errors (a lost connection, a restarting server) before it fails.</summary>
    /// <value>Default 60 seconds.</value>
    public TimeSpan TransientRetryLimit { get; set; } = TimeSpan.FromSeconds(60);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("PostgresStoreOptions.ConnectionString is required.", nameof(ConnectionString));
        }

        foreach ((string name, TimeSpan value) in new[] { (nameof(TimerClaimDuration), TimerClaimDuration), (nameof(PollInterval), PollInterval), (nameof(TransientRetryLimit), TransientRetryLimit) })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, $"PostgresStoreOptions.{name} must be positive; got {value}.");
            }
        }
    }
}
