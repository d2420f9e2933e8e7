using Durably;
using Microsoft.Data.Sqlite;

namespace OrderProcessing;

/// <summary>
/// The sample's one store setting: SQLite by default (<c>--db</c>, <c>durably.db</c>), PostgreSQL with
/// <c>--store postgres --connection-string …</c> or the environment variable <c>DURABLY_POSTGRES</c> (docs/operations.md).
/// </summary>
internal static class SampleStore
{
    /// <summary>Puts the configured store on <paramref name="durably"/> and says which it is (without any password).</summary>
    public static string Configure(IDurablyBuilder durably, IConfiguration configuration)
    {
        string? postgres = configuration["connection-string"] ?? configuration["DURABLY_POSTGRES"];
        string store = configuration["store"] ?? (postgres is null ? "sqlite" : "postgres");
        switch (store)
        {
            case "postgres":
                if (string.IsNullOrWhiteSpace(postgres))
                {
                    throw new ArgumentException("--store postgres needs --connection-string <Npgsql connection string> (or DURABLY_POSTGRES).");
                }

                durably.UsePostgres(postgres);
                var shown = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
                return $"PostgreSQL {shown.Host}:{shown.Port}/{shown.Database}" + (shown.SearchPath is { Length: > 0 } schema ? $" schema {schema}" : "");
            case "sqlite":
                string database = Path.GetFullPath(configuration["db"] ?? "durably.db");
                durably.UseSqlite(new SqliteConnectionStringBuilder { DataSource = database }.ToString()); // quoted: a ';' in --db stays part of the path
                return database;
            default:
                throw new ArgumentException($"--store must be sqlite or postgres; got '{store}'.");
        }
    }
}
