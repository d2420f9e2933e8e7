namespace Durably.Conformance.Runner;

/// <summary>The store a conformance server keeps its executions in.</summary>
public enum ConformanceStore
{
    /// <summary>A temporary SQLite file.</summary>
    Sqlite,

    /// <summary>A schema of its own on the test PostgreSQL server (TestPostgres).</summary>
    Postgres,
}
