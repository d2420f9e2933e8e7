using System.Collections.Concurrent;
using Durably.Engine;
using Durably.Protocol;

namespace Durably.Postgres.Tests;

/// <summary>
/// Two engines (nodes) on one PostgreSQL schema, each with its own store, in real time. Node A runs an execution's first
/// invocation, so its execution cache holds that execution; node B stops it meanwhile. Whatever A then reads (the
/// execution, its history, the state its invocation sees) must show the stop, and a checkpoint A builds on its cached
/// state must be refused: several executions at once, repeated.
/// </summary>
#pragma warning disable CA1001 // xunit disposes the engines and stores through IAsyncLifetime.DisposeAsync.
public sealed class MultiNodeCacheTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private const string Function = "cached";
    private const int Executions = 8;
    private const int Rounds = 3;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempPostgresSchema _schema = new();
    private readonly ConcurrentDictionary<string, Invocation> _invocations = new(StringComparer.Ordinal);
    private PostgresExecutionStore _storeA = null!;
    private PostgresExecutionStore _storeB = null!;
    private DurableEngine _nodeA = null!;
    private DurableEngine _nodeB = null!;

    public async Task InitializeAsync()
    {
        _storeA = await PostgresExecutionStore.OpenAsync(new PostgresStoreOptions { ConnectionString = _schema.ConnectionString });
        _storeB = await PostgresExecutionStore.OpenAsync(new PostgresStoreOptions { ConnectionString = _schema.ConnectionString });
        _nodeA = new DurableEngine(_storeA, new FunctionRegistry([new RegisteredFunction
        {
            Name = Function,
            Version = "1",
            ExecutionTimeout = TimeSpan.FromDays(1),
            RetentionPeriodInDays = 1,
            InvocationTimeout = TimeSpan.FromMinutes(15),
            Handler = RunAsync,
        }]), TimeProvider.System);
        _nodeB = new DurableEngine(_storeB, new FunctionRegistry(), TimeProvider.System); // hosts nothing: serves the API only
        await _nodeA.StartAsync();
        await _nodeB.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
        await _storeA.DisposeAsync();
        await _storeB.DisposeAsync();
        await _schema.DropAsync();
    }

    [Fact]
    public async Task ExecutionStoppedByAnotherNode_ReadsOnTheRunningNodeShowTheStop_AndItsCachedCheckpointIsRefused()
    {
        for (int round = 0; round < Rounds; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, Executions).Select(index => StopWhileRunningAsync($"r{round}-e{index}")));
        }
    }

    [Fact]
    public async Task WaitForCompletion_OnANodeThatDoesNotRunTheExecution_SeesItClose()
    {
        string arn = (await _nodeA.StartExecutionAsync(Function, "\"in\"", "waited")).DurableExecutionArn;
        Invocation invocation = _invocations.GetOrAdd(arn, _ => new Invocation());
        await invocation.Checkpointed.Task.WaitAsync(Bound);
        Task<DurableExecutionDescription> waiting = _nodeB.WaitForCompletionAsync(arn);

        invocation.Proceed.SetResult();

        DurableExecutionDescription closed = await waiting.WaitAsync(Bound);
        Assert.Equal(ExecutionStatus.Succeeded, closed.Status);
    }

    private async Task StopWhileRunningAsync(string name)
    {
        string arn = (await _nodeA.StartExecutionAsync(Function, "\"in\"", name)).DurableExecutionArn;
        Invocation invocation = _invocations.GetOrAdd(arn, _ => new Invocation());
        DurableExecutionInvocationInput input = await invocation.Checkpointed.Task.WaitAsync(Bound);

        await _nodeB.StopExecutionAsync(arn);

        DurableExecutionDescription described = await _nodeA.GetExecutionAsync(arn);
        Assert.Equal(ExecutionStatus.Stopped, described.Status);
        HistoryPage history = await _nodeA.GetHistoryAsync(arn);
        Assert.Equal(HistoryEventTypes.ExecutionStopped, history.Events[^1].EventType);
        DurableServiceException stateRefused = await Assert.ThrowsAsync<DurableServiceException>(() => _nodeA.GetExecutionStateAsync(
            new GetDurableExecutionStateRequest { DurableExecutionArn = arn, CheckpointToken = input.CheckpointToken }));
        Assert.True(stateRefused.IsInvalidCheckpointToken, stateRefused.Message);

        // The invocation goes on with the state A cached when it checkpointed "first": its next checkpoint must fail.
        invocation.Proceed.SetResult();
        Exception? refused = await invocation.SecondCheckpoint.Task.WaitAsync(Bound);
        Assert.True(refused is DurableServiceException { IsInvalidCheckpointToken: true }, $"The checkpoint after the stop was not refused as an invalid token: {refused}");
        Assert.Equal(["first"], (await _nodeA.GetOperationsAsync(arn)).Where(operation => operation.Type == OperationType.Step).Select(operation => operation.Id));
    }

    /// <summary>Checkpoints step "first" (from then on node A's cache holds the execution), waits, then tries step "second".</summary>
    private async Task<DurableExecutionInvocationOutput> RunAsync(DurableExecutionInvocationInput input, IDurableExecutionClient client, CancellationToken cancellationToken)
    {
        Invocation invocation = _invocations.GetOrAdd(input.DurableExecutionArn, _ => new Invocation());
        CheckpointDurableExecutionResponse first = await client.CheckpointAsync(Checkpoint(input, input.CheckpointToken, "first"), cancellationToken);
        invocation.Checkpointed.SetResult(input with { CheckpointToken = first.CheckpointToken });
        await invocation.Proceed.Task.WaitAsync(Bound, cancellationToken);
        try
        {
            await client.CheckpointAsync(Checkpoint(input, first.CheckpointToken!, "second"), cancellationToken);
            invocation.SecondCheckpoint.SetResult(null);
        }
        catch (DurableServiceException exception)
        {
            invocation.SecondCheckpoint.SetResult(exception);
        }

        return new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "\"done\"" };
    }

    private static CheckpointDurableExecutionRequest Checkpoint(DurableExecutionInvocationInput input, string token, string stepId) => new()
    {
        DurableExecutionArn = input.DurableExecutionArn,
        CheckpointToken = token,
        Updates = [new OperationUpdate { Id = stepId, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Succeed, Payload = "1" }],
    };

    private sealed class Invocation
    {
        public TaskCompletionSource<DurableExecutionInvocationInput> Checkpointed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Proceed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<Exception?> SecondCheckpoint { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
