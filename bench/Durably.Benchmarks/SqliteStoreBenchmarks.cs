using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Durably.Sqlite;

namespace Durably.Benchmarks;

/// <summary>
/// Step checkpoints committed to <see cref="SqliteExecutionStore"/> on a real file with synchronous=FULL, by 1 or 32
/// concurrent writers (each on its own execution). One commit is what the engine writes for a step's SUCCEED: the
/// header, one operation and one history event. The mean is per commit; commits/s = 1 s / mean.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the store in [GlobalCleanup].")]
public class SqliteStoreBenchmarks
{
    private const int CommitsPerInvoke = 3_200;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"durably-bench-{Guid.NewGuid():N}.db");
    private SqliteExecutionStore _store = null!;
    private ExecutionRecord[] _headers = [];

    [Params(1, 32)]
    public int Writers { get; set; }

    [GlobalSetup]
    public void OpenStore()
    {
        _store = new SqliteExecutionStore(new SqliteStoreOptions { ConnectionString = $"Data Source={_path}", Synchronous = SqliteSynchronous.Full });
        _headers = [.. Enumerable.Range(0, Writers).Select(writer => Create($"e{writer}"))];
    }

    [GlobalCleanup]
    public void DeleteStore()
    {
        _store.Dispose();
        foreach (string suffix in (string[])["", "-wal", "-shm"])
        {
            File.Delete(_path + suffix);
        }
    }

    [Benchmark(OperationsPerInvoke = CommitsPerInvoke)]
    public Task StepCommits() =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(() => CommitStepsAsync(writer, CommitsPerInvoke / Writers))));

    private async Task CommitStepsAsync(int writer, int steps)
    {
        for (int step = 0; step < steps; step++)
        {
            ExecutionRecord header = _headers[writer];
            ExecutionRecord next = header with { Version = header.Version + 1, OperationCount = header.OperationCount + 1, EventCount = header.EventCount + 1 };
            var operation = new Operation
            {
                Id = $"step-{header.OperationCount}",
                Name = "charge",
                Type = OperationType.Step,
                SubType = "Step",
                Status = OperationStatus.Succeeded,
                StartTimestamp = Start,
                EndTimestamp = Start,
                StepDetails = new StepDetails { Attempt = 1, Result = "{\"amount\":42,\"currency\":\"EUR\"}" },
            };
            bool committed = await _store.TryCommitAsync(new ExecutionChange
            {
                Execution = next,
                ExpectedVersion = header.Version,
                Operations = [new OperationRecord(header.OperationCount, operation)],
                Events = [new HistoryEvent { EventType = HistoryEventTypes.StepSucceeded, EventId = next.EventCount, EventTimestamp = Start, Id = operation.Id, Name = operation.Name, SubType = "Step" }],
            });
            _headers[writer] = committed ? next : throw new InvalidOperationException("A benchmark commit lost its version check.");
        }
    }

    private ExecutionRecord Create(string executionId)
    {
        string functionArn = "arn:aws:lambda:local:000000000000:function:orders:1";
        var execution = new ExecutionRecord
        {
            ExecutionId = executionId,
            DurableExecutionArn = $"{functionArn}/durable-execution/{executionId}/{executionId}",
            ExecutionName = executionId,
            FunctionName = "orders",
            FunctionVersion = "1",
            FunctionArn = functionArn,
            Status = ExecutionStatus.Running,
            StartTimestamp = Start,
            InputPayload = "{\"orderId\":\"o-1\"}",
            ExecutionTimeoutSeconds = 86_400,
            RetentionPeriodInDays = 14,
            Version = 1,
            OperationCount = 1,
            EventCount = 1,
        };
        _store.CreateExecutionAsync(new ExecutionChange
        {
            Execution = execution,
            ExpectedVersion = 0,
            Operations = [new OperationRecord(0, new Operation { Id = executionId, Type = OperationType.Execution, Status = OperationStatus.Started, StartTimestamp = Start })],
            Events = [new HistoryEvent { EventType = HistoryEventTypes.ExecutionStarted, EventId = 1, EventTimestamp = Start, Id = executionId }],
        }, Start).GetAwaiter().GetResult();
        return execution;
    }
}
