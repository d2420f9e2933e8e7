using Durably.Sqlite;

namespace Durably.Sqlite.Tests;

/// <summary>A database file in the temp folder, deleted with its -wal and -shm files by <see cref="TempSqliteFile.Delete"/>.</summary>
internal sealed class TempDatabase : TempSqliteFile
{
    public SqliteStoreOptions Options(SqliteSynchronous synchronous = SqliteSynchronous.Full) =>
        new() { ConnectionString = ConnectionString, Synchronous = synchronous };

    public SqliteExecutionStore Open() => new(Options());
}
