using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Durably.StoreContract;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Sqlite.Tests;

public sealed class SqliteSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Delete();

    [Fact]
    public void Open_NewFile_CreatesTheSchemaAtTheCurrentVersionInWalMode()
    {
        _database.Open().Dispose();

        using SqliteConnection connection = OpenRaw();
        Assert.Equal(SqliteSchema.CurrentVersion, SqliteConnections.Scalar<int>(connection, "SELECT version FROM schema_version"));
        Assert.Equal("wal", SqliteConnections.Scalar<string>(connection, "PRAGMA journal_mode"));
        string[] tables = [.. Names(connection, "table")];
        Assert.Equal(["callbacks", "checkpoint_replays", "event_subscriptions", "executions", "function_registrations", "history_events", "operations", "outbox", "outbox_cursors", "outbox_dead_letters", "schema_version", "timers"], tables);
        Assert.Contains("timers_leases", Names(connection, "index"));
    }

    [Fact]
    public async Task Open_OlderSchemaVersion_MigratesAndKeepsTheData()
    {
        using (SqliteConnection connection = OpenRaw())
        {
            Assert.Equal(0, SqliteSchema.Migrate(connection, SqliteSchema.Migrations.Take(1).ToArray()));
            using var changes = new ChangeWriter(connection);
            changes.CreateExecution(new EncodedChange(StoreSamples.Creation("e1", "order-1", Now)), Now);
        }

        await using (SqliteExecutionStore store = _database.Open())
        {
            Assert.Equal("e1", (await store.LoadAsync("e1", []))!.Execution.ExecutionId);
        }

        using SqliteConnection migrated = OpenRaw();
        Assert.Equal(SqliteSchema.CurrentVersion, SqliteConnections.Scalar<int>(migrated, "SELECT version FROM schema_version"));
        Assert.Contains("timers_leases", Names(migrated, "index"));
    }

    [Fact]
    public async Task Open_SchemaVersion3_GivesClosedExecutionsARetentionTimerAndTheEnginePurgesThemOnceDue()
    {
        using (SqliteConnection connection = OpenRaw())
        {
            Assert.Equal(0, SqliteSchema.Migrate(connection, SqliteSchema.Migrations.Take(3).ToArray()));
            using var changes = new ChangeWriter(connection);
            ExecutionChange creation = StoreSamples.Creation("closed", "order-1", Now);
            changes.CreateExecution(new EncodedChange(creation), Now);
            changes.CreateExecution(new EncodedChange(StoreSamples.Creation("running", "order-2", Now)), Now);
            // Closed an hour later the way the engine closed executions before migration 4: every timer dropped.
            Assert.True(changes.TryCommit(new EncodedChange(new ExecutionChange
            {
                Execution = creation.Execution with { Version = 2, Status = ExecutionStatus.Succeeded, EndTimestamp = Now.AddHours(1) },
                ExpectedVersion = 1,
                RemoveAllTimers = true,
            })));
        }

        var time = new FakeTimeProvider(Now);
        await using SqliteExecutionStore store = _database.Open();
        IReadOnlyList<TimerRecord> timers = await store.GetDueTimersAsync(DateTimeOffset.MaxValue, 10);
        Assert.Equal(
            [new TimerRecord("running", TimerRecord.TimeoutKey, TimerKind.ExecutionTimeout, Now.AddDays(1)),
             new TimerRecord("closed", TimerRecord.RetentionKey, TimerKind.Retention, Now.AddHours(1).AddDays(14))],
            timers);

        await using var engine = new DurableEngine(store, new FunctionRegistry(), time);
        await engine.StartAsync();
        time.Advance(TimeSpan.FromDays(14));
        await IdleAsync(engine);
        Assert.NotNull(await store.LoadAsync("closed", []));

        time.Advance(TimeSpan.FromHours(1));
        await IdleAsync(engine);

        Assert.Null(await store.LoadAsync("closed", []));
        Assert.NotNull(await store.LoadAsync("running", []));
    }

    [Fact]
    public void Open_NewerSchemaVersion_FailsWithAClearErrorAndChangesNothing()
    {
        _database.Open().Dispose();
        using (SqliteConnection connection = OpenRaw())
        {
            SqliteConnections.Execute(connection, $"UPDATE schema_version SET version = {SqliteSchema.CurrentVersion + 1}");
        }

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => _database.Open());

        Assert.Contains($"schema version {SqliteSchema.CurrentVersion + 1}, newer than this Durably.Sqlite understands ({SqliteSchema.CurrentVersion})", error.Message, StringComparison.Ordinal);
        using SqliteConnection after = OpenRaw();
        Assert.Equal(SqliteSchema.CurrentVersion + 1, SqliteConnections.Scalar<int>(after, "SELECT version FROM schema_version"));
    }

    [Fact]
    public void Migrate_AppliesOnlyTheMissingMigrationsInOrder()
    {
        using SqliteConnection connection = OpenRaw();
        string[] migrations = ["CREATE TABLE a (x INTEGER);", "INSERT INTO a VALUES (1);", "INSERT INTO a VALUES (2);"];

        Assert.Equal(0, SqliteSchema.Migrate(connection, migrations[..2]));
        Assert.Equal(2, SqliteSchema.Migrate(connection, migrations));
        Assert.Equal(3, SqliteSchema.Migrate(connection, migrations));

        Assert.Equal(3, SqliteConnections.Scalar<int>(connection, "SELECT sum(x) FROM a"));
    }

    [Fact]
    public void Migrate_FailingMigration_RollsBackTheWholeUpgrade()
    {
        using SqliteConnection connection = OpenRaw();

        Assert.Throws<SqliteException>(() => SqliteSchema.Migrate(connection, ["CREATE TABLE a (x INTEGER);", "NOT SQL"]));

        Assert.Equal(0, SqliteConnections.Scalar<int>(connection, "SELECT count(*) FROM sqlite_master WHERE name IN ('a', 'schema_version')"));
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=x.db;Mode=Memory")]
    [InlineData("Data Source=x.db;Mode=ReadOnly")]
    [InlineData("")]
    public void Open_WithoutAWritableFile_IsRefused(string connectionString)
    {
        Assert.Throws<ArgumentException>(() => new SqliteExecutionStore(connectionString));
    }

    private static Task IdleAsync(DurableEngine engine)
    {
        engine.Wake();
        return engine.WaitUntilIdleAsync();
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        connection.Open();
        return connection;
    }

    private static List<string> Names(SqliteConnection connection, string type)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM sqlite_master WHERE type = '{type}' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        using SqliteDataReader rows = command.ExecuteReader();
        var names = new List<string>();
        while (rows.Read())
        {
            names.Add(rows.GetString(0));
        }

        return names;
    }
}
