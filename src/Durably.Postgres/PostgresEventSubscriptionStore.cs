using Durably.Engine;
using Durably.Engine.Storage;
using Npgsql;

namespace Durably.Postgres;

/// <summary>
/// An <see cref="IEventSubscriptionStore"/> in the database of a <see cref="PostgresExecutionStore"/> (table
/// <c>event_subscriptions</c>). Each node loads the subscriptions when it starts (docs/operations.md).
/// </summary>
public sealed class PostgresEventSubscriptionStore : IEventSubscriptionStore
{
    private readonly PostgresExecutionStore _store;

    /// <summary>Keeps its rows in <paramref name="store"/>'s database, through its connections.</summary>
    public PostgresEventSubscriptionStore(PostgresExecutionStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <inheritdoc />
    public Task SaveAsync(EventSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return _store.RunAsync((connection, token) => Sql.ExecuteAsync(connection, """
            INSERT INTO event_subscriptions (name, url, pattern, secret) VALUES ($1, $2, $3, $4)
            ON CONFLICT (name) DO UPDATE SET url = excluded.url, pattern = excluded.pattern, secret = excluded.secret
            """, token, subscription.Name, subscription.Url.AbsoluteUri, subscription.Pattern.Json, subscription.Secret), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        int removed = await _store.RunAsync((connection, token) => Sql.ExecuteAsync(connection, "DELETE FROM event_subscriptions WHERE name = $1", token, name),
            cancellationToken).ConfigureAwait(false);
        return removed > 0;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EventSubscription>> LoadAllAsync(CancellationToken cancellationToken = default) =>
        _store.RunAsync(async (connection, token) =>
        {
            using NpgsqlCommand command = Sql.Command(connection, "SELECT name, url, pattern, secret FROM event_subscriptions ORDER BY name");
            return await Sql.ListAsync(command, row => new EventSubscription
            {
                Name = row.GetString(0),
                Url = new Uri(row.GetString(1), UriKind.Absolute),
                Pattern = EventPattern.Parse(row.GetString(2)),
                Secret = row.GetString(3),
            }, token).ConfigureAwait(false);
        }, cancellationToken);
}
