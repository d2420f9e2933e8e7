using Durably.Engine;
using Durably.Engine.Storage;
using Durably.StoreContract;
using Microsoft.Data.Sqlite;

namespace Durably.Sqlite.Tests;

/// <summary>One writer, many callers: batches share a commit, each request keeps its own outcome.</summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Delete();

    [Fact]
    public async Task TryCommit_ManyConcurrentWriters_AllDurableAndRacesOnOneExecutionHaveOneWinner()
    {
        const int Writers = 32;
        const int CommitsEach = 20;
        await using (SqliteExecutionStore store = _database.Open())
        {
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => store.CreateExecutionAsync(StoreSamples.Creation($"e{i}", $"n{i}", Now), Now)));
            await store.CreateExecutionAsync(StoreSamples.Creation("shared", "shared", Now), Now);

            Task<bool>[] racers = [.. Enumerable.Range(0, Writers).Select(i => Task.Run(() => store.TryCommitAsync(Step("shared", 1, $"r{i}"))))];
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(async () =>
            {
                for (int version = 1; version <= CommitsEach; version++)
                {
                    Assert.True(await store.TryCommitAsync(Step($"e{i}", version, $"s{version}")));
                }
            })));

            Assert.Equal(1, (await Task.WhenAll(racers)).Count(won => won));
        }

        await using SqliteExecutionStore reopened = _database.Open();
        for (int i = 0; i < Writers; i++)
        {
            Assert.Equal(CommitsEach + 1, (await reopened.LoadAsync($"e{i}", []))!.Execution.Version);
            Assert.Equal(CommitsEach + 1, (await reopened.ReadOperationsAsync($"e{i}", -1, 100)).Count);
        }

        Assert.Equal(2, (await reopened.ReadOperationsAsync("shared", -1, 100)).Count);
    }

    [Fact]
    public async Task Writer_RequestsQueuedWhileACommitRuns_ShareTheNextTransaction()
    {
        using SqliteWriter writer = OpenWriter();
        using var release = new ManualResetEventSlim();
        Task<int> blocker = BlockWriter(writer, release);

        Task<CreateExecutionResult>[] creations = [.. Enumerable.Range(0, 50).Select(i => writer.WriteAsync(changes => changes.CreateExecution(new EncodedChange(StoreSamples.Creation($"e{i}", $"n{i}", Now)), Now)))];
        release.Set();
        await blocker;
        await Task.WhenAll(creations);

        Assert.All(creations, creation => Assert.True(creation.Result.Created));
        Assert.Equal(2, writer.Commits);
    }

    [Fact]
    public async Task Writer_RequestThatThrowsInABatch_FailsAloneAndTheOthersCommit()
    {
        using SqliteWriter writer = OpenWriter();
        using var release = new ManualResetEventSlim();
        Task<int> blocker = BlockWriter(writer, release);

        Task<CreateExecutionResult> first = writer.WriteAsync(changes => changes.CreateExecution(new EncodedChange(StoreSamples.Creation("e1", "a", Now)), Now));
        Task<CreateExecutionResult> sameIdOtherName = writer.WriteAsync(changes => changes.CreateExecution(new EncodedChange(StoreSamples.Creation("e1", "b", Now)), Now));
        Task<bool> step = writer.WriteAsync(changes => changes.TryCommit(new EncodedChange(Step("e1", 1, "s1"))));
        Task<bool> staleStep = writer.WriteAsync(changes => changes.TryCommit(new EncodedChange(Step("e1", 1, "s2"))));
        release.Set();
        await blocker;

        Assert.True((await first).Created);
        await Assert.ThrowsAsync<SqliteException>(() => sameIdOtherName);
        Assert.True(await step);
        Assert.False(await staleStep);
        Assert.Equal(2, writer.Commits);
        await using SqliteExecutionStore store = _database.Open();
        Assert.Equal(2, (await store.LoadAsync("e1", []))!.Execution.Version);
        Assert.Equal(["e1", "s1"], (await store.ReadOperationsAsync("e1", -1, 10)).Select(operation => operation.Operation.Id));
        Assert.Empty(await store.ListExecutionsAsync(new ExecutionQuery { FunctionName = StoreSamples.Function, ExecutionName = "b" }));
    }

    [Fact]
    public async Task Dispose_WritesWhatIsQueuedThenRefusesNewWrites()
    {
        SqliteExecutionStore store = _database.Open();
        Task<CreateExecutionResult> queued = store.CreateExecutionAsync(StoreSamples.Creation("e1", "a", Now), Now);

        await store.DisposeAsync();

        Assert.True((await queued).Created);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CreateExecutionAsync(StoreSamples.Creation("e2", "b", Now), Now));
        await using SqliteExecutionStore reopened = _database.Open();
        Assert.NotNull(await reopened.LoadAsync("e1", []));
    }

    /// <summary>A change from <paramref name="expectedVersion"/> that adds operation <paramref name="operationId"/>.</summary>
    private static ExecutionChange Step(string executionId, long expectedVersion, string operationId) =>
        StoreSamples.AddOperation(executionId, expectedVersion, StoreSamples.Step((int)expectedVersion, operationId), Now);

    /// <summary>Holds the writer inside a transaction until <paramref name="release"/> is set, so what is queued meanwhile forms one batch.</summary>
    private static Task<int> BlockWriter(SqliteWriter writer, ManualResetEventSlim release)
    {
        using var running = new ManualResetEventSlim();
        // From another thread: a caller that finds the writer idle commits on its own thread.
        Task<int> blocker = Task.Run(() => writer.WriteAsync(_ =>
        {
            running.Set();
            release.Wait();
            return 0;
        }));
        running.Wait(TimeSpan.FromSeconds(10));
        return blocker;
    }

    private SqliteWriter OpenWriter()
    {
        SqliteConnection connection = new SqliteConnections(_database.Options()).OpenWriter();
        SqliteSchema.Migrate(connection, SqliteSchema.Migrations);
        return new SqliteWriter(new ChangeWriter(connection), maxBatchSize: 512, committed: () => false);
    }
}
