using Durably.Engine;
using Durably.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Durably.Sqlite;

/// <summary>
/// An <see cref="IEventSubscriptionStore"/> in the SQLite file of <see cref="SqliteExecutionStore"/> (table
/// <c>event_subscriptions</c>). Like <see cref="SqliteFunctionRegistrationStore"/>, each call opens its own short-lived
/// connection: subscriptions change rarely, and a write is durable at the configured <c>PRAGMA synchronous</c> when
/// its task completes.
/// </summary>
public sealed class SqliteEventSubscriptionStore : IEventSubscriptionStore
{
    private readonly SqliteConnections _connections;

    /// <summary>Opens (creating if needed) the database file and brings its schema to the current version.</summary>
    /// <exception cref="InvalidOperationException">The file's schema is newer than this code.</exception>
    public SqliteEventSubscriptionStore(SqliteStoreOptions options)
    {
        _connections = new SqliteConnections(options);
        using SqliteConnection connection = _connections.OpenSideWriter();
        SqliteConnections.Execute(connection, "PRAGMA journal_mode = WAL;");
        SqliteSchema.Migrate(connection, SqliteSchema.Migrations);
    }

    /// <inheritdoc />
    public Task SaveAsync(EventSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        cancellationToken.ThrowIfCancellationRequested();
        Run("""
            INSERT INTO event_subscriptions (name, url, pattern, secret) VALUES ($name, $url, $pattern, $secret)
            ON CONFLICT (name) DO UPDATE SET url = excluded.url, pattern = excluded.pattern, secret = excluded.secret;
            """, ("$name", subscription.Name), ("$url", subscription.Url.AbsoluteUri), ("$pattern", subscription.Pattern.Json), ("$secret", subscription.Secret));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Run("DELETE FROM event_subscriptions WHERE name = $name;", ("$name", name)) > 0);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EventSubscription>> LoadAllAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using SqliteConnection connection = _connections.OpenSideWriter();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT name, url, pattern, secret FROM event_subscriptions ORDER BY name;";
        using SqliteDataReader reader = command.ExecuteReader();
        var subscriptions = new List<EventSubscription>();
        while (reader.Read())
        {
            subscriptions.Add(new EventSubscription
            {
                Name = reader.GetString(0),
                Url = new Uri(reader.GetString(1), UriKind.Absolute),
                Pattern = EventPattern.Parse(reader.GetString(2)),
                Secret = reader.GetString(3),
            });
        }

        return Task.FromResult<IReadOnlyList<EventSubscription>>(subscriptions);
    }

    /// <summary>One statement in its own connection; autocommit makes it one durable transaction.</summary>
    private int Run(string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteConnection connection = _connections.OpenSideWriter();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }
}
