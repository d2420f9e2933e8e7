using Durably.Engine;
using Durably.StoreContract;
using Microsoft.Data.Sqlite;

namespace Durably.Sqlite.Tests;

/// <summary>
/// A kill -9 keeps the page cache, so the crash test passes even with <c>synchronous=OFF</c>: what makes a commit
/// survive a power loss is the sync level of every connection that writes, asserted here.
/// </summary>
public sealed class SqliteSynchronousTests : IDisposable
{
    private const long Full = 2;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Delete();

    [Fact]
    public async Task DefaultOptions_EveryWritingConnectionSyncsFull()
    {
        var options = new SqliteStoreOptions { ConnectionString = _database.ConnectionString };
        Assert.Equal(SqliteSynchronous.Full, options.Synchronous);
        DateTimeOffset now = DateTimeOffset.UnixEpoch;
        await using var store = new SqliteExecutionStore(options);
        var registrations = new SqliteFunctionRegistrationStore(options);
        Assert.True((await store.CreateExecutionAsync(StoreSamples.Creation("e1", "e1", now), now)).Created);

        Assert.Equal(2, store.WritingConnections.Count);
        Assert.All(store.WritingConnections, connection => Assert.Equal(Full, Synchronous(connection)));
        using SqliteConnection registrationConnection = registrations.OpenConnection();
        Assert.Equal(Full, Synchronous(registrationConnection));
    }

    [Theory]
    [InlineData(SqliteSynchronous.Normal)]
    [InlineData(SqliteSynchronous.Extra)]
    public async Task ConfiguredLevel_IsTheLevelOfEveryWritingConnection(SqliteSynchronous level)
    {
        SqliteStoreOptions options = _database.Options(level);
        await using var store = new SqliteExecutionStore(options);
        var registrations = new SqliteFunctionRegistrationStore(options);

        Assert.All(store.WritingConnections, connection => Assert.Equal((long)level, Synchronous(connection)));
        using SqliteConnection registrationConnection = registrations.OpenConnection();
        Assert.Equal((long)level, Synchronous(registrationConnection));
    }

    private static long Synchronous(SqliteConnection connection) => SqliteConnections.Scalar<long>(connection, "PRAGMA synchronous;");
}
