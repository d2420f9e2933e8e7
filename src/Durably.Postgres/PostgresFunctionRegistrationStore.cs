using Durably.Engine;
using Durably.Engine.Storage;
using Npgsql;

namespace Durably.Postgres;

/// <summary>
/// An <see cref="IFunctionRegistrationStore"/> in the database of a <see cref="PostgresExecutionStore"/> (table
/// <c>function_registrations</c>). The order of saves comes from a sequence, so saves from several nodes at once are
/// ordered too. Each node loads the registrations when its engine starts: one registered later through another node
/// is served by this node after its next restart (docs/operations.md).
/// </summary>
public sealed class PostgresFunctionRegistrationStore : IFunctionRegistrationStore
{
    private const string Columns = "function_name, function_version, url, execution_timeout, retention_days, invocation_timeout";

    private readonly PostgresExecutionStore _store;

    /// <summary>Keeps its rows in <paramref name="store"/>'s database, through its connections.</summary>
    public PostgresFunctionRegistrationStore(PostgresExecutionStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <inheritdoc />
    public Task SaveAsync(HttpFunctionRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return _store.RunAsync((connection, token) => Sql.ExecuteAsync(connection, $"""
            INSERT INTO function_registrations (sequence, {Columns}) VALUES (nextval('function_registration_order'), $1, $2, $3, $4, $5, $6)
            ON CONFLICT (function_name, function_version) DO UPDATE SET
                sequence = excluded.sequence, url = excluded.url, execution_timeout = excluded.execution_timeout,
                retention_days = excluded.retention_days, invocation_timeout = excluded.invocation_timeout
            """, token, registration.Name, registration.Version, registration.Url.AbsoluteUri, registration.ExecutionTimeout.Ticks,
            registration.RetentionPeriodInDays, registration.InvocationTimeout.Ticks), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(version);
        int removed = await _store.RunAsync((connection, token) => Sql.ExecuteAsync(connection,
            "DELETE FROM function_registrations WHERE function_name = $1 AND function_version = $2", token, name, version), cancellationToken).ConfigureAwait(false);
        return removed > 0;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HttpFunctionRegistration>> LoadAllAsync(CancellationToken cancellationToken = default) =>
        _store.RunAsync(async (connection, token) =>
        {
            using NpgsqlCommand command = Sql.Command(connection, $"SELECT {Columns} FROM function_registrations ORDER BY sequence");
            return await Sql.ListAsync(command, row => new HttpFunctionRegistration(
                row.GetString(0), row.GetString(1), new Uri(row.GetString(2), UriKind.Absolute),
                TimeSpan.FromTicks(row.GetInt64(3)), row.GetInt32(4), TimeSpan.FromTicks(row.GetInt64(5))), token).ConfigureAwait(false);
        }, cancellationToken);
}
