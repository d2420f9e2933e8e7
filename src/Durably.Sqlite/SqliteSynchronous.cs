namespace Durably.Sqlite;

/// <summary>SQLite's <c>PRAGMA synchronous</c> levels, in write-ahead-log mode.</summary>
public enum SqliteSynchronous
{
    /// <summary>Never syncs: a power loss or an OS crash may corrupt the database. For throwaway data only.</summary>
    Off = 0,
    /// <summary>Syncs at checkpoints only: survives a process crash; a power loss may roll back the last commits.</summary>
    Normal = 1,
    /// <summary>Syncs the write-ahead log at every commit: nothing acknowledged is lost.</summary>
    Full = 2,
    /// <summary>As <see cref="Full"/>, and also syncs the directory after the log is reset.</summary>
    Extra = 3,
}
