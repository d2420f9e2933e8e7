using Durably.Engine;
using Durably.Engine.Storage;
using Durably.StoreContract;
using Microsoft.Data.Sqlite;

namespace Durably.Sqlite.Tests;

/// <summary>Migration 6: the checkpoint replays that schema version 5 kept in execution headers move to their own table.</summary>
public sealed class SqliteCheckpointReplayMigrationTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Delete();

    [Fact]
    public async Task Open_SchemaVersion5_MovesTheHeadersReplayToItsTable_AndLaterHeaderWritesKeepIt()
    {
        using (var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False"))
        {
            connection.Open();
            Assert.Equal(0, SqliteSchema.Migrate(connection, SqliteSchema.Migrations.Take(5).ToArray()));
            using var changes = new ChangeWriter(connection);
            changes.CreateExecution(new EncodedChange(StoreSamples.Creation("e1", "order-1", Now)), Now);
            // What version 5 wrote: the replay inside the header.
            SqliteConnections.Execute(connection, """
                UPDATE executions SET header = json_set(header, '$.LastCheckpoint',
                    json('{"ClientToken":"client-1","CheckpointToken":"token-1","Response":{"CheckpointToken":"token-2"}}'))
                """);
        }

        await using (SqliteExecutionStore store = _database.Open())
        {
            CheckpointReplay? replay = (await store.LoadAsync("e1", []))!.Execution.LastCheckpoint;
            Assert.Equal(("client-1", "token-1", "token-2"), (replay?.ClientToken, replay?.CheckpointToken, replay?.Response.CheckpointToken));

            Assert.True(await store.TryCommitAsync(StoreSamples.AddOperation("e1", 1, StoreSamples.Step(1, "s1"), Now)));
            Assert.Equal("client-1", (await store.LoadAsync("e1", []))!.Execution.LastCheckpoint?.ClientToken);
        }

        using var migrated = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        migrated.Open();
        Assert.Equal(0, SqliteConnections.Scalar<int>(migrated, "SELECT count(*) FROM executions WHERE json_extract(header, '$.LastCheckpoint') IS NOT NULL"));
        Assert.Equal(1, SqliteConnections.Scalar<int>(migrated, "SELECT count(*) FROM checkpoint_replays"));
    }
}
