using System.Collections.Concurrent;
using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Durably.StoreContract;

/// <summary>
/// Races the engine must win on every store: a store's test project subclasses this and supplies
/// <see cref="CreateStoreAsync"/>. Each race is repeated, and each repetition proves it happened: a
/// <see cref="RendezvousStore"/> holds the contenders' writes until all of them have reached the store.
/// </summary>
public abstract class EngineRaceTests : IAsyncLifetime
{
    private const int Repetitions = 20;
    private const string Function = "racer";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private IExecutionStore _store = null!;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private RendezvousStore Store { get; set; } = null!;

    private DurableEngine Engine { get; set; } = null!;

    protected abstract Task<IExecutionStore> CreateStoreAsync(TimeProvider time);

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync(Time);
        Store = new RendezvousStore(_store);
        Engine = new DurableEngine(Store, new FunctionRegistry(), Time);
        await Engine.StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Engine.DisposeAsync();
        await StoreDisposal.DisposeAsync(_store);
    }

    [Fact]
    public async Task ConcurrentStarts_OneName_OneExecutionAndTheSameArnForAll()
    {
        const int starters = 4;
        var invocations = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        Register((input, _) =>
        {
            invocations.AddOrUpdate(input.DurableExecutionArn, 1, (_, count) => count + 1);
            return Task.FromResult(Succeeded("\"done\""));
        });

        for (int repetition = 0; repetition < Repetitions; repetition++)
        {
            string name = $"start-{repetition}";
            Rendezvous race = Store.Arm(starters, executionName: name);
            Task<StartExecutionResult>[] starts = [.. Enumerable.Range(0, starters).Select(_ => Task.Run(() => Engine.StartExecutionAsync(Function, "\"in\"", name)))];
            await race.WaitAsync();
            StartExecutionResult[] results = await Task.WhenAll(starts).WaitAsync(Bound);

            Assert.Single(results, result => !result.AlreadyExisted);
            Assert.Single(results.Select(result => result.DurableExecutionArn).Distinct());
        }

        await IdleAsync();
        DurableExecutionPage listed = await Engine.ListExecutionsAsync(new ListDurableExecutionsRequest { FunctionName = Function, MaxItems = 1000 });
        Assert.Equal(Repetitions, listed.DurableExecutions.Count);
        Assert.All(listed.DurableExecutions, execution => Assert.Equal(1, invocations[execution.DurableExecutionArn]));
    }

    [Fact]
    public async Task TwoCheckpointsWithOneToken_ExactlyOneIsApplied()
    {
        var outcomes = new ConcurrentDictionary<string, (bool AApplied, bool BApplied)>(StringComparer.Ordinal);
        int repetition = 0;
        Register(async (input, client) =>
        {
            Rendezvous race = Store.Arm(2, input.DurableExecutionArn);
            (Task<bool> a, Task<bool> b) = StartBoth(
                () => TryCheckpointAsync(client, input, StepSucceed("a")), () => TryCheckpointAsync(client, input, StepSucceed("b")), secondFirst: repetition % 2 == 1);
            await race.WaitAsync();
            outcomes[input.DurableExecutionArn] = (await a, await b);
            return Succeeded("\"done\"");
        });

        var winners = new HashSet<string>(StringComparer.Ordinal);
        for (; repetition < Repetitions; repetition++)
        {
            string arn = await StartAndWaitAsync($"token-{repetition}");

            (bool aApplied, bool bApplied) = outcomes[arn];
            Assert.True(aApplied ^ bApplied, $"Checkpoint a applied: {aApplied}, b applied: {bApplied}; exactly one must be.");
            winners.Add(aApplied ? "a" : "b");
            IReadOnlyList<Operation> operations = await Engine.GetOperationsAsync(arn);
            Assert.Equal(aApplied ? ["a"] : ["b"], operations.Where(o => o.Type == OperationType.Step).Select(o => o.Id));
            await AssertHistoryContiguousAsync(arn, HistoryEventTypes.ExecutionSucceeded);
        }

        Assert.True(winners.Count == 2, $"Only {string.Join(", ", winners)} won across {Repetitions} repetitions: the race was not run both ways.");
    }

    [Fact]
    public async Task CallbackAnswerRacingItsTimeout_OneOutcome_TheOneTheSenderWasTold()
    {
        TaskCompletionSource<string> callbackId = null!;
        Register(async (input, client) =>
        {
            Operation? callback = input.InitialExecutionState.Operations.FirstOrDefault(o => o.Id == "cb");
            if (callback is null)
            {
                CheckpointDurableExecutionResponse response = await CheckpointAsync(client, input, new OperationUpdate
                {
                    Id = "cb", Type = OperationType.Callback, SubType = "Callback", Action = OperationAction.Start,
                    CallbackOptions = new CallbackOptions { TimeoutSeconds = 10 },
                });
                callbackId.SetResult(response.NewExecutionState!.Operations.Single(o => o.Id == "cb").CallbackDetails!.CallbackId!);
                return new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending };
            }

            return Succeeded($"\"{callback.Status}\"");
        });

        var seen = new HashSet<OperationStatus>();
        for (int repetition = 0; repetition < Repetitions; repetition++)
        {
            // One execution at a time: its first invocation publishes its callback id here.
            callbackId = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            string arn = (await StartAsync($"callback-{repetition}")).DurableExecutionArn;
            string id = await callbackId.Task.WaitAsync(Bound);
            await IdleAsync();

            Rendezvous race = Store.Arm(2, arn);
            (_, Task answer) = StartBoth(
                () =>
                {
                    Time.Advance(TimeSpan.FromSeconds(10));
                    Engine.Wake();
                    return true;
                },
                () => Task.Run(() => Engine.SendCallbackSuccessAsync(id, "\"yes\"")),
                secondFirst: repetition % 2 == 1);
            await race.WaitAsync();
            bool answered = await SucceedsAsync(answer, ServiceErrorCodes.CallbackTimeout);
            DurableExecutionDescription done = await Engine.WaitForCompletionAsync(arn).WaitAsync(Bound);

            OperationStatus expected = answered ? OperationStatus.Succeeded : OperationStatus.TimedOut;
            seen.Add(expected);
            Assert.Equal($"\"{expected}\"", done.Result);
            IReadOnlyList<string> types = await AssertHistoryContiguousAsync(arn, HistoryEventTypes.ExecutionSucceeded);
            Assert.Single(types, type => type is HistoryEventTypes.CallbackSucceeded or HistoryEventTypes.CallbackTimedOut);
        }

        Assert.True(seen.Count == 2, $"Only {string.Join(", ", seen)} won across {Repetitions} repetitions: the race was not run both ways.");
    }

    [Fact]
    public async Task StopRacingACheckpoint_StoppedAndTheCheckpointAppliedOnlyIfItWon()
    {
        var checkpointApplied = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        int repetition = 0;
        Register(async (input, client) =>
        {
            Rendezvous race = Store.Arm(2, input.DurableExecutionArn);
            (Task<bool> checkpoint, Task stop) = StartBoth(
                () => TryCheckpointAsync(client, input, StepSucceed("s")), () => Task.Run(() => Engine.StopExecutionAsync(input.DurableExecutionArn)),
                secondFirst: repetition % 2 == 1);
            await race.WaitAsync();
            await stop;
            checkpointApplied[input.DurableExecutionArn] = await checkpoint;
            return Succeeded("\"not taken: the execution was stopped\"");
        });

        for (; repetition < Repetitions; repetition++)
        {
            string arn = await StartAndWaitAsync($"stop-{repetition}");
            await IdleAsync();

            DurableExecutionDescription execution = await Engine.GetExecutionAsync(arn);
            Assert.Equal(ExecutionStatus.Stopped, execution.Status);
            Assert.Null(execution.Result);
            IReadOnlyList<Operation> operations = await Engine.GetOperationsAsync(arn);
            Assert.Equal(checkpointApplied[arn], operations.Any(o => o.Id == "s" && o.Status == OperationStatus.Succeeded));
            IReadOnlyList<string> types = await AssertHistoryContiguousAsync(arn, null);
            Assert.Single(types, type => type == HistoryEventTypes.ExecutionStopped);
            Assert.DoesNotContain(types.SkipWhile(type => type != HistoryEventTypes.ExecutionStopped), type => type.StartsWith("Step", StringComparison.Ordinal));
        }

        Assert.True(checkpointApplied.Values.Distinct().Count() == 2, $"Only {(checkpointApplied.Values.First() ? "the checkpoint" : "the stop")} won across {Repetitions} repetitions: the race was not run both ways.");
    }

    [Fact]
    public async Task ManyExecutionsWithTriggersDuringInvocations_AtMostOneInvocationPerExecutionInFlight()
    {
        const int executions = 40;
        var inFlight = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        int overlaps = 0;
        int triggersWhileInFlight = 0;
        Register(async (input, client) =>
        {
            string arn = input.DurableExecutionArn;
            if (inFlight.AddOrUpdate(arn, 1, (_, count) => count + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            try
            {
                IReadOnlyList<Operation> operations = input.InitialExecutionState.Operations;
                if (operations.All(o => o.Id != "cb"))
                {
                    CheckpointDurableExecutionResponse response = await CheckpointAsync(client, input,
                        new OperationUpdate { Id = "w", Type = OperationType.Wait, SubType = "Wait", Action = OperationAction.Start, WaitOptions = new WaitOptions { WaitSeconds = 1 } },
                        new OperationUpdate { Id = "cb", Type = OperationType.Callback, SubType = "Callback", Action = OperationAction.Start, CallbackOptions = new CallbackOptions() });
                    string callbackId = response.NewExecutionState!.Operations.Single(o => o.Id == "cb").CallbackDetails!.CallbackId!;
                    // A trigger that lands while this invocation still runs: the engine must not start a second one.
                    await Task.Run(() => Engine.SendCallbackSuccessAsync(callbackId, "1"));
                    Interlocked.Increment(ref triggersWhileInFlight);
                    return new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending };
                }

                bool done = operations.Single(o => o.Id == "w").Status == OperationStatus.Succeeded && operations.Single(o => o.Id == "cb").Status == OperationStatus.Succeeded;
                return done ? Succeeded("\"done\"") : new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending };
            }
            finally
            {
                inFlight.AddOrUpdate(arn, 0, (_, count) => count - 1);
            }
        });

        Task<StartExecutionResult>[] starts = [.. Enumerable.Range(0, executions).Select(i => Task.Run(() => Engine.StartExecutionAsync(Function, "\"in\"", $"load-{i}")))];
        // Time moves on while the first invocations run, so timers fall due among them.
        for (int second = 0; second < 3; second++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            Engine.Wake();
        }

        StartExecutionResult[] started = await Task.WhenAll(starts).WaitAsync(Bound);
        // Then until every wait has fallen due: each pass lets everything settle, then moves time on.
        for (int pass = 0; pass < 3; pass++)
        {
            await IdleAsync();
            Time.Advance(TimeSpan.FromSeconds(1));
            Engine.Wake();
        }

        await IdleAsync();
        Assert.Equal(0, overlaps);
        Assert.Equal(executions, triggersWhileInFlight);
        foreach (StartExecutionResult start in started)
        {
            Assert.Equal(ExecutionStatus.Succeeded, (await Engine.GetExecutionAsync(start.DurableExecutionArn)).Status);
            await AssertHistoryContiguousAsync(start.DurableExecutionArn, HistoryEventTypes.ExecutionSucceeded);
        }
    }

    /// <summary>
    /// Starts two contenders, the second first when <paramref name="secondFirst"/>. The first to reach the store
    /// usually commits first, so alternating the order lets each side win some repetitions.
    /// </summary>
    private static (T1 First, T2 Second) StartBoth<T1, T2>(Func<T1> first, Func<T2> second, bool secondFirst)
    {
        if (secondFirst)
        {
            T2 started = second();
            return (first(), started);
        }

        T1 begun = first();
        return (begun, second());
    }

    private void Register(Func<DurableExecutionInvocationInput, IDurableExecutionClient, Task<DurableExecutionInvocationOutput>> body) =>
        Engine.Functions.Register(new RegisteredFunction
        {
            Name = Function,
            Version = "1",
            ExecutionTimeout = TimeSpan.FromDays(1),
            RetentionPeriodInDays = 1,
            InvocationTimeout = TimeSpan.FromMinutes(15),
            Handler = (input, client, _) => body(input, client),
        });

    private Task<StartExecutionResult> StartAsync(string name) => Engine.StartExecutionAsync(Function, "\"in\"", name);

    private async Task<string> StartAndWaitAsync(string name)
    {
        string arn = (await StartAsync(name)).DurableExecutionArn;
        await Engine.WaitForCompletionAsync(arn).WaitAsync(Bound);
        return arn;
    }

    private async Task IdleAsync()
    {
        using var deadline = new CancellationTokenSource(Bound);
        while (!Engine.IsIdle)
        {
            await Engine.WhenIdleAsync().WaitAsync(deadline.Token);
        }
    }

    /// <summary>Asserts EventIds 1…n and, when given, the closing event; returns the event types.</summary>
    private async Task<IReadOnlyList<string>> AssertHistoryContiguousAsync(string arn, string? lastEventType)
    {
        IReadOnlyList<HistoryEvent> history = (await Engine.GetHistoryAsync(arn, maxItems: 1000)).Events;
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(e => e.EventId));
        if (lastEventType is not null)
        {
            Assert.Equal(lastEventType, history[^1].EventType);
        }

        return [.. history.Select(e => e.EventType)];
    }

    private static Task<CheckpointDurableExecutionResponse> CheckpointAsync(IDurableExecutionClient client, DurableExecutionInvocationInput input, params OperationUpdate[] updates) =>
        client.CheckpointAsync(new CheckpointDurableExecutionRequest { DurableExecutionArn = input.DurableExecutionArn, CheckpointToken = input.CheckpointToken, Updates = updates });

    /// <summary>A checkpoint with the invocation's first token, on the thread pool: true when applied, false when refused as an invalid token.</summary>
    private static async Task<bool> TryCheckpointAsync(IDurableExecutionClient client, DurableExecutionInvocationInput input, OperationUpdate update)
    {
        try
        {
            await Task.Run(() => CheckpointAsync(client, input, update));
            return true;
        }
        catch (DurableServiceException error) when (error.IsInvalidCheckpointToken)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="call"/> succeeded, false when it failed with <paramref name="errorCode"/>.</summary>
    private static async Task<bool> SucceedsAsync(Task call, string errorCode)
    {
        try
        {
            await call.WaitAsync(Bound);
            return true;
        }
        catch (DurableServiceException error) when (error.ErrorCode == errorCode)
        {
            return false;
        }
    }

    private static OperationUpdate StepSucceed(string id) =>
        new() { Id = id, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Succeed, Payload = "1" };

    private static DurableExecutionInvocationOutput Succeeded(string result) => new() { Status = InvocationStatus.Succeeded, Result = result };
}
