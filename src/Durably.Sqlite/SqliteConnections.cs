using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Durably.Sqlite;

/// <summary>
/// Opens the store's connections to its file, each with its pragmas; creates a missing file owner-only first
/// (<see cref="DatabaseFile"/>). Pooling is the store's own (prepared statements stay with their connection).
/// </summary>
internal sealed class SqliteConnections
{
    private readonly string _connectionString;
    private readonly string _connectionPragmas;
    private readonly string _synchronous;

    public SqliteConnections(SqliteStoreOptions options)
    {
        Validate(options);
        var connectionString = new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = false };
        DatabaseFile.CreateIfMissing(connectionString);
        _connectionString = connectionString.ToString();
        _connectionPragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON;");
        _synchronous = options.Synchronous.ToString().ToUpperInvariant();
    }

    /// <summary>Throws when the options cannot work: no file (SQLite in memory is one database per connection), no batch.</summary>
    public static void Validate(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ArgumentException("The SQLite store needs a database file (e.g. 'Data Source=durably.db'); use UseInMemoryStore() for a store in memory.", nameof(options));
        }

        if (builder.Mode == SqliteOpenMode.ReadOnly)
        {
            throw new ArgumentException("The SQLite store writes: its connection string must not be read-only.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.Zero, nameof(options));
    }

    /// <summary>
    /// The writer's connection: write-ahead log, the configured sync level, a larger page cache, and no automatic
    /// checkpoint (the <see cref="WalCheckpointer"/> runs them); after a checkpoint the log file is cut back to 64 MiB.
    /// </summary>
    public SqliteConnection OpenWriter()
    {
        SqliteConnection connection = Open();
        try
        {
            string mode = Scalar<string>(connection, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused write-ahead-log mode (journal_mode is '{mode}').");
            }

            Execute(connection, $"PRAGMA synchronous = {_synchronous}; PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A connection that writes beside the writer (the <see cref="WalCheckpointer"/>, run-time function registrations):
    /// it syncs at the configured level.
    /// </summary>
    public SqliteConnection OpenSideWriter()
    {
        SqliteConnection connection = Open();
        try
        {
            Execute(connection, $"PRAGMA synchronous = {_synchronous};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A reader's connection.</summary>
    public SqliteConnection OpenReader() => Open();

    public static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Ends the open transaction, if SQLite has not already rolled it back.</summary>
    public static void TryRollback(SqliteConnection connection)
    {
        if (SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0)
        {
            Execute(connection, "ROLLBACK;");
        }
    }

    public static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, _connectionPragmas);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
