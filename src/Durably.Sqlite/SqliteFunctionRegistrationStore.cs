using Durably.Engine;
using Durably.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Durably.Sqlite;

/// <summary>
/// An <see cref="IFunctionRegistrationStore"/> in the SQLite file of <see cref="SqliteExecutionStore"/> (table
/// <c>function_registrations</c>). Registrations change rarely, so each call opens its own short-lived connection
/// rather than queueing behind the execution store's writer: a write takes the write lock at once
/// (<c>BEGIN IMMEDIATE</c>), waiting up to the busy timeout while the writer commits a batch, and is durable at the
/// configured <c>PRAGMA synchronous</c> when its task completes.
/// </summary>
public sealed class SqliteFunctionRegistrationStore : IFunctionRegistrationStore
{
    private const string Columns = "function_name, function_version, url, execution_timeout, retention_days, invocation_timeout";

    private readonly SqliteConnections _connections;

    /// <summary>Opens (creating if needed) the database file and brings its schema to the current version.</summary>
    /// <exception cref="InvalidOperationException">The file's schema is newer than this code.</exception>
    public SqliteFunctionRegistrationStore(SqliteStoreOptions options)
    {
        _connections = new SqliteConnections(options);

        // Whichever of the two stores opens a new file first leaves it as the other expects: write-ahead log, current schema.
        using SqliteConnection connection = OpenConnection();
        SqliteConnections.Execute(connection, "PRAGMA journal_mode = WAL;");
        SqliteSchema.Migrate(connection, SqliteSchema.Migrations);
    }

    /// <inheritdoc />
    public Task SaveAsync(HttpFunctionRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        cancellationToken.ThrowIfCancellationRequested();
        Write(connection =>
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = $"""
                INSERT INTO function_registrations (sequence, {Columns})
                VALUES ((SELECT coalesce(max(sequence), 0) + 1 FROM function_registrations), $name, $version, $url, $execution_timeout, $retention_days, $invocation_timeout)
                ON CONFLICT (function_name, function_version) DO UPDATE SET
                    sequence = excluded.sequence, url = excluded.url, execution_timeout = excluded.execution_timeout,
                    retention_days = excluded.retention_days, invocation_timeout = excluded.invocation_timeout;
                """;
            command.Parameters.AddWithValue("$name", registration.Name);
            command.Parameters.AddWithValue("$version", registration.Version);
            command.Parameters.AddWithValue("$url", registration.Url.AbsoluteUri);
            command.Parameters.AddWithValue("$execution_timeout", registration.ExecutionTimeout.Ticks);
            command.Parameters.AddWithValue("$retention_days", registration.RetentionPeriodInDays);
            command.Parameters.AddWithValue("$invocation_timeout", registration.InvocationTimeout.Ticks);
            return command.ExecuteNonQuery();
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string name, string version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(version);
        cancellationToken.ThrowIfCancellationRequested();
        int removed = Write(connection =>
        {
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "DELETE FROM function_registrations WHERE function_name = $name AND function_version = $version;";
            command.Parameters.AddWithValue("$name", name);
            command.Parameters.AddWithValue("$version", version);
            return command.ExecuteNonQuery();
        });
        return Task.FromResult(removed > 0);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HttpFunctionRegistration>> LoadAllAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using SqliteConnection connection = OpenConnection();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM function_registrations ORDER BY sequence;";
        using SqliteDataReader reader = command.ExecuteReader();
        var registrations = new List<HttpFunctionRegistration>();
        while (reader.Read())
        {
            registrations.Add(new HttpFunctionRegistration(
                reader.GetString(0), reader.GetString(1), new Uri(reader.GetString(2), UriKind.Absolute),
                TimeSpan.FromTicks(reader.GetInt64(3)), reader.GetInt32(4), TimeSpan.FromTicks(reader.GetInt64(5))));
        }

        return Task.FromResult<IReadOnlyList<HttpFunctionRegistration>>(registrations);
    }

    /// <summary>A connection of its own for one call; it writes, so it syncs at the configured level.</summary>
    internal SqliteConnection OpenConnection() => _connections.OpenSideWriter();

    /// <summary>Runs <paramref name="write"/> in its own immediate transaction on a connection of its own.</summary>
    private T Write<T>(Func<SqliteConnection, T> write)
    {
        using SqliteConnection connection = OpenConnection();
        SqliteConnections.Execute(connection, "BEGIN IMMEDIATE;");
        try
        {
            T result = write(connection);
            SqliteConnections.Execute(connection, "COMMIT;");
            return result;
        }
        catch
        {
            SqliteConnections.TryRollback(connection);
            throw;
        }
    }
}
