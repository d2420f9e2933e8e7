using Microsoft.Data.Sqlite;

namespace Durably.Sqlite.Tests;

public sealed class SqliteFunctionRegistrationStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Delete();

    [Fact]
    public async Task Open_NewFileBeforeTheExecutionStore_LeavesItInWalModeAtTheCurrentSchema()
    {
        var registrations = new SqliteFunctionRegistrationStore(_database.Options());
        await registrations.SaveAsync(new Engine.HttpFunctionRegistration("f", "1", new Uri("http://127.0.0.1:1/"), TimeSpan.FromDays(1), 14, TimeSpan.FromMinutes(15)));

        using (var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False"))
        {
            connection.Open();
            Assert.Equal("wal", SqliteConnections.Scalar<string>(connection, "PRAGMA journal_mode"));
            Assert.Equal(SqliteSchema.CurrentVersion, SqliteConnections.Scalar<int>(connection, "SELECT version FROM schema_version"));
        }

        await using SqliteExecutionStore executions = _database.Open();
        Assert.Equal("f", Assert.Single(await new SqliteFunctionRegistrationStore(_database.Options()).LoadAllAsync()).Name);
    }
}
