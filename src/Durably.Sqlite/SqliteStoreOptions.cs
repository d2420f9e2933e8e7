namespace Durably.Sqlite;

/// <summary>Settings of <see cref="SqliteExecutionStore"/> (bound through <c>UseSqlite(…)</c>).</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>A Microsoft.Data.Sqlite connection string naming a database file, e.g. <c>Data Source=durably.db</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// When a commit is durable. <see cref="SqliteSynchronous.Full"/> syncs the write-ahead log at every commit, so
    /// nothing acknowledged is lost even on power loss; <see cref="SqliteSynchronous.Normal"/> survives a process
    /// crash but a power loss may roll back the last commits.
    /// </summary>
    /// <value>Default <see cref="SqliteSynchronous.Full"/>.</value>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>How long a connection waits for a lock held by another process before it fails.</summary>
    /// <value>Default 5 seconds.</value>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most write requests the writer commits in one transaction (one sync).</summary>
    /// <value>Default 512.</value>
    public int MaxBatchSize { get; set; } = 512;
}
