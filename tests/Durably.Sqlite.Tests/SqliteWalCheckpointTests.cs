using Durably.Engine;
using Durably.Engine.Storage;
using Durably.StoreContract;

namespace Durably.Sqlite.Tests;

/// <summary>
/// The writer connection has SQLite's automatic checkpoint off (<see cref="WalCheckpointer"/> runs them), so the log
/// stays bounded only if the background checkpoint and the writer's tail checkpoint both work: under writes that
/// never pause, a checkpoint that never completes leaves SQLite unable to start the log over.
/// </summary>
public sealed class SqliteWalCheckpointTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Delete();

    [Fact]
    public async Task ContinuousWrites_KeepTheLogBounded_AndEveryCommitSurvivesAReopen()
    {
        const int Writers = 8;
        const int CommitsEach = 600;
        // Each commit carries ~3 KB of JSON: unbounded, 4,800 commits leave a log of well over 16 MB.
        string payload = new('x', 3000);
        long largestLog = 0;
        await using (SqliteExecutionStore store = _database.Open())
        {
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => store.CreateExecutionAsync(StoreSamples.Creation($"e{i}", $"n{i}", Now), Now)));
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(async () =>
            {
                for (int version = 1; version <= CommitsEach; version++)
                {
                    Assert.True(await store.TryCommitAsync(Step($"e{i}", version, payload)));
                    if (i == 0 && version % 50 == 0)
                    {
                        Interlocked.Exchange(ref largestLog, Math.Max(Interlocked.Read(ref largestLog), new FileInfo(_database.Path + "-wal").Length));
                    }
                }
            })));
        }

        Assert.InRange(largestLog, 1, 16L * 1024 * 1024);
        await using SqliteExecutionStore reopened = _database.Open();
        for (int i = 0; i < Writers; i++)
        {
            Assert.Equal(CommitsEach + 1, (await reopened.LoadAsync($"e{i}", []))!.Execution.Version);
        }
    }

    /// <summary>A change from <paramref name="expectedVersion"/> that adds an operation with a large result.</summary>
    private static ExecutionChange Step(string executionId, long expectedVersion, string payload)
    {
        OperationRecord step = StoreSamples.Step((int)expectedVersion, $"s{expectedVersion}");
        return StoreSamples.AddOperation(executionId, expectedVersion,
            step with { Operation = step.Operation with { StepDetails = new Protocol.StepDetails { Result = payload } } }, Now);
    }
}
