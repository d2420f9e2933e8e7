using System.Globalization;
using Npgsql;

namespace Durably.LoadDriver;

/// <summary>A fresh PostgreSQL schema for one run of the driver (the store creates its tables there), dropped at the end.</summary>
internal sealed class LoadSchema : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private LoadSchema(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { SearchPath = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The server's connection string with the schema as its search path.</summary>
    public string ConnectionString { get; }

    public static async Task<LoadSchema> CreateAsync(string serverConnectionString)
    {
        if (string.IsNullOrWhiteSpace(serverConnectionString))
        {
            throw new ArgumentException("--store postgres needs --connection-string <Npgsql connection string> (or DURABLY_POSTGRES).");
        }

        var schema = new LoadSchema(serverConnectionString, string.Create(CultureInfo.InvariantCulture, $"durably_load_{Environment.ProcessId}"));
        await schema.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema.Name} CASCADE; CREATE SCHEMA {schema.Name}");
        return schema;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP SCHEMA IF EXISTS {Name} CASCADE");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
