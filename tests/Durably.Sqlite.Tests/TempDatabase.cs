using Durably.Sqlite;

namespace Durably.Sqlite.Tests;

/// <summary>A database file in the temp folder, deleted with its -wal and -shm files by <see cref="Delete"/>.</summary>
internal sealed class TempDatabase
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"durably-{Guid.NewGuid():N}.db");

    public string ConnectionString => $"Data Source={Path}";

    public SqliteStoreOptions Options(SqliteSynchronous synchronous = SqliteSynchronous.Full) =>
        new() { ConnectionString = ConnectionString, Synchronous = synchronous };

    public SqliteExecutionStore Open() => new(Options());

    public void Delete()
    {
        foreach (string suffix in (string[])["", "-wal", "-shm"])
        {
            File.Delete(Path + suffix);
        }
    }
}
