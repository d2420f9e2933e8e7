using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Durably.StoreContract;

/// <summary>
/// The behaviour every <see cref="IExecutionStore"/> must have. A store's test project subclasses this
/// and supplies <see cref="CreateStoreAsync"/>; the engine relies on nothing beyond these tests.
/// </summary>
public abstract partial class ExecutionStoreContractTests : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected IExecutionStore Store { get; private set; } = null!;

    protected abstract Task<IExecutionStore> CreateStoreAsync(TimeProvider time);

    public async Task InitializeAsync() => Store = await CreateStoreAsync(Time);

    public virtual Task DisposeAsync() => StoreDisposal.DisposeAsync(Store);

    [Fact]
    public async Task CreateExecution_New_StoresHeaderOperationEventAndTimer()
    {
        ExecutionChange creation = StoreSamples.Creation("e1", "order-1", Time.GetUtcNow());

        CreateExecutionResult result = await Store.CreateExecutionAsync(creation, Time.GetUtcNow());

        Assert.True(result.Created);
        ExecutionSnapshot? snapshot = await Store.LoadAsync("e1", ["e1"]);
        Assert.NotNull(snapshot);
        Assert.Equal(1, snapshot.Execution.Version);
        Assert.Equal(OperationType.Execution, snapshot.Operations["e1"].Operation.Type);
        IReadOnlyList<HistoryEvent> history = await Store.ReadHistoryAsync("e1", 0, 10, descending: false);
        Assert.Equal(HistoryEventTypes.ExecutionStarted, Assert.Single(history).EventType);
        Assert.Equal(Time.GetUtcNow().AddDays(1), await Store.GetNextDueTimeAsync());
    }

    [Fact]
    public async Task CreateExecution_SameNameRetained_ReturnsExistingAndWritesNothing()
    {
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", Time.GetUtcNow()), Time.GetUtcNow());

        CreateExecutionResult second = await Store.CreateExecutionAsync(StoreSamples.Creation("e2", "order-1", Time.GetUtcNow(), input: "other"), Time.GetUtcNow());

        Assert.False(second.Created);
        Assert.Equal("e1", second.Execution.ExecutionId);
        Assert.Null(await Store.LoadAsync("e2", []));
    }

    [Fact]
    public async Task CreateExecution_SameNameOnAnotherFunction_CreatesBoth()
    {
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", Time.GetUtcNow()), Time.GetUtcNow());

        CreateExecutionResult other = await Store.CreateExecutionAsync(StoreSamples.Creation("e2", "order-1", Time.GetUtcNow(), function: "other-fn"), Time.GetUtcNow());

        Assert.True(other.Created);
    }

    [Fact]
    public async Task CreateExecution_SameNameAfterRetentionExpired_ReplacesTheOldExecution()
    {
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", Time.GetUtcNow()), Time.GetUtcNow());
        ExecutionSnapshot first = (await Store.LoadAsync("e1", []))!;
        Assert.True(await Store.TryCommitAsync(new ExecutionChange
        {
            Execution = first.Execution with { Version = 2, Status = ExecutionStatus.Succeeded, EndTimestamp = Time.GetUtcNow(), RetentionPeriodInDays = 1 },
            ExpectedVersion = 1,
            RemoveAllTimers = true,
        }));
        Time.Advance(TimeSpan.FromDays(1));

        CreateExecutionResult second = await Store.CreateExecutionAsync(StoreSamples.Creation("e2", "order-1", Time.GetUtcNow()), Time.GetUtcNow());

        Assert.True(second.Created);
        Assert.Null(await Store.LoadAsync("e1", []));
    }

    [Fact]
    public async Task TryCommit_StaleVersion_ReturnsFalseAndWritesNothing()
    {
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", Time.GetUtcNow()), Time.GetUtcNow());
        ExecutionRecord header = (await Store.LoadAsync("e1", []))!.Execution;

        bool committed = await Store.TryCommitAsync(new ExecutionChange
        {
            Execution = header with { Version = 6, EventCount = 2 },
            ExpectedVersion = 5,
            Operations = [StoreSamples.Step(1, "s1")],
            Events = [StoreSamples.Event(2, "s1")],
        });

        Assert.False(committed);
        ExecutionSnapshot after = (await Store.LoadAsync("e1", ["s1"]))!;
        Assert.Equal(1, after.Execution.Version);
        Assert.Empty(after.Operations);
        Assert.Single(await Store.ReadHistoryAsync("e1", 0, 10, descending: false));
    }

    [Fact]
    public async Task TryCommit_ReplacesOperationsByIdAndKeepsTheirSequence()
    {
        await CreateWithStepsAsync("e1", 3);
        ExecutionRecord header = (await Store.LoadAsync("e1", []))!.Execution;
        OperationRecord updated = StoreSamples.Step(2, "s2") with { Operation = StoreSamples.Step(2, "s2").Operation with { Status = OperationStatus.Succeeded } };

        Assert.True(await Store.TryCommitAsync(new ExecutionChange { Execution = header with { Version = header.Version + 1 }, ExpectedVersion = header.Version, Operations = [updated] }));

        IReadOnlyList<OperationRecord> all = await Store.ReadOperationsAsync("e1", -1, 100);
        Assert.Equal(["e1", "s1", "s2", "s3"], all.Select(record => record.Operation.Id));
        Assert.Equal(OperationStatus.Succeeded, all[2].Operation.Status);
    }

    [Fact]
    public async Task Load_ReturnsOnlyRequestedOperationsThatExist()
    {
        await CreateWithStepsAsync("e1", 3);

        ExecutionSnapshot snapshot = (await Store.LoadAsync("e1", ["s1", "s3", "missing"]))!;

        Assert.Equal(["s1", "s3"], snapshot.Operations.Keys.Order(StringComparer.Ordinal));
        Assert.Null(await Store.LoadAsync("unknown", ["s1"]));
    }

    [Fact]
    public async Task ReadOperations_PagesBySequence()
    {
        await CreateWithStepsAsync("e1", 5);

        IReadOnlyList<OperationRecord> page = await Store.ReadOperationsAsync("e1", 1, 2);

        Assert.Equal([2, 3], page.Select(record => record.Sequence));
        Assert.Empty(await Store.ReadOperationsAsync("e1", 5, 10));
    }

    [Fact]
    public async Task ReadHistory_PagesForwardAndBackwardByEventId()
    {
        await CreateWithStepsAsync("e1", 4);

        IReadOnlyList<HistoryEvent> forward = await Store.ReadHistoryAsync("e1", 2, 2, descending: false);
        IReadOnlyList<HistoryEvent> backward = await Store.ReadHistoryAsync("e1", 4, 10, descending: true);

        Assert.Equal([3, 4], forward.Select(e => e.EventId));
        Assert.Equal([3, 2, 1], backward.Select(e => e.EventId));
    }

    [Fact]
    public async Task Timers_AreReturnedWhenDueEarliestFirstAndUpsertedByKey()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", now), now);
        ExecutionRecord header = (await Store.LoadAsync("e1", []))!.Execution;
        Assert.True(await Store.TryCommitAsync(new ExecutionChange
        {
            Execution = header with { Version = 2 },
            ExpectedVersion = 1,
            TimersToSet =
            [
                new TimerRecord("e1", "b", TimerKind.WaitEnd, now.AddSeconds(20), "s1"),
                new TimerRecord("e1", "a", TimerKind.WaitEnd, now.AddSeconds(10), "s1"),
                new TimerRecord("e1", "b", TimerKind.WaitEnd, now.AddSeconds(5), "s1"),
            ],
        }));

        Assert.Equal(now.AddSeconds(5), await Store.GetNextDueTimeAsync());
        IReadOnlyList<TimerRecord> due = await Store.GetDueTimersAsync(now.AddSeconds(10), 10);
        Assert.Equal(["b", "a"], due.Select(timer => timer.Key));
        Assert.Empty(await Store.GetDueTimersAsync(now.AddSeconds(4), 10));
    }

    [Fact]
    public async Task Timers_RemoveAllDropsOnlyTheExecutionsOwnTimersBeforeSettingNewOnes()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", now), now);
        await Store.CreateExecutionAsync(StoreSamples.Creation("e2", "order-2", now), now);
        ExecutionRecord header = (await Store.LoadAsync("e1", []))!.Execution;

        Assert.True(await Store.TryCommitAsync(new ExecutionChange
        {
            Execution = header with { Version = 2 },
            ExpectedVersion = 1,
            RemoveAllTimers = true,
            TimersToSet = [new TimerRecord("e2", "notice", TimerKind.ChildCompleted, now, "op", "e1")],
        }));

        IReadOnlyList<TimerRecord> due = await Store.GetDueTimersAsync(now.AddDays(2), 10);
        Assert.Equal([("e2", "notice"), ("e2", TimerRecord.TimeoutKey)], due.Select(timer => (timer.ExecutionId, timer.Key)));
    }

    [Fact]
    public async Task Timers_RemovedByKey()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", now), now);
        ExecutionRecord header = (await Store.LoadAsync("e1", []))!.Execution;

        Assert.True(await Store.TryCommitAsync(new ExecutionChange { Execution = header with { Version = 2 }, ExpectedVersion = 1, TimersToRemove = [TimerRecord.TimeoutKey] }));

        Assert.Null(await Store.GetNextDueTimeAsync());
    }

    [Fact]
    public async Task ExpireInvocationLeases_MakesLaterLeaseTimersDueNowAndLeavesOtherTimers()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", now), now);
        ExecutionRecord header = (await Store.LoadAsync("e1", []))!.Execution;
        Assert.True(await Store.TryCommitAsync(new ExecutionChange
        {
            Execution = header with { Version = 2 },
            ExpectedVersion = 1,
            TimersToSet =
            [
                new TimerRecord("e1", TimerRecord.LeaseKey, TimerKind.InvocationLease, now.AddMinutes(15), Tag: "request-1"),
                new TimerRecord("e1", "wait", TimerKind.WaitEnd, now.AddMinutes(15), "s1"),
            ],
        }));

        int expired = await Store.ExpireInvocationLeasesAsync(now);

        Assert.Equal(1, expired);
        TimerRecord lease = Assert.Single(await Store.GetDueTimersAsync(now, 10));
        Assert.Equal(new TimerRecord("e1", TimerRecord.LeaseKey, TimerKind.InvocationLease, now, Tag: "request-1"), lease);
        Assert.Equal(0, await Store.ExpireInvocationLeasesAsync(now));
    }

    [Fact]
    public async Task Callbacks_AreFoundByIdOnceCommitted()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", now), now);
        ExecutionRecord header = (await Store.LoadAsync("e1", []))!.Execution;

        Assert.True(await Store.TryCommitAsync(new ExecutionChange
        {
            Execution = header with { Version = 2 },
            ExpectedVersion = 1,
            NewCallbacks = [new CallbackLocation("cb123", "e1", "op1")],
        }));

        Assert.Equal(new CallbackLocation("cb123", "e1", "op1"), await Store.FindCallbackAsync("cb123"));
        Assert.Null(await Store.FindCallbackAsync("nope"));
    }

    [Fact]
    public async Task ListExecutions_FiltersByFunctionNameStatusAndStartTime()
    {
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "a", Time.GetUtcNow()), Time.GetUtcNow());
        Time.Advance(TimeSpan.FromSeconds(10));
        await Store.CreateExecutionAsync(StoreSamples.Creation("e2", "b", Time.GetUtcNow()), Time.GetUtcNow());
        await Store.CreateExecutionAsync(StoreSamples.Creation("e3", "c", Time.GetUtcNow(), function: "other-fn"), Time.GetUtcNow());

        Assert.Equal(["e1", "e2"], (await Store.ListExecutionsAsync(new ExecutionQuery { FunctionName = StoreSamples.Function })).Select(e => e.ExecutionId));
        Assert.Equal(["e2"], (await Store.ListExecutionsAsync(new ExecutionQuery { FunctionName = StoreSamples.Function, StartedAfter = Time.GetUtcNow().AddSeconds(-5) })).Select(e => e.ExecutionId));
        Assert.Equal(["e1"], (await Store.ListExecutionsAsync(new ExecutionQuery { FunctionName = StoreSamples.Function, ExecutionName = "a" })).Select(e => e.ExecutionId));
        Assert.Empty(await Store.ListExecutionsAsync(new ExecutionQuery { FunctionName = StoreSamples.Function, Statuses = [ExecutionStatus.Failed] }));
    }

    [Fact]
    public async Task Purge_DeletesEverythingOfThatExecutionAndNothingOfAnother()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await CreateWithCallbackAndTimerAsync("e1", "order-1", "cb1");
        await CreateWithCallbackAndTimerAsync("e2", "order-2", "cb2");
        long version = (await Store.LoadAsync("e1", []))!.Execution.Version;

        Assert.True(await Store.PurgeExecutionAsync("e1", version));

        Assert.Null(await Store.LoadAsync("e1", []));
        Assert.Empty(await Store.ReadOperationsAsync("e1", -1, 100));
        Assert.Empty(await Store.ReadHistoryAsync("e1", 0, 100, descending: false));
        Assert.Null(await Store.FindCallbackAsync("cb1"));
        Assert.All(await Store.GetDueTimersAsync(now.AddDays(30), 100), timer => Assert.Equal("e2", timer.ExecutionId));
        Assert.Equal(["e2"], (await Store.ListExecutionsAsync(new ExecutionQuery { FunctionName = StoreSamples.Function })).Select(e => e.ExecutionId));
        Assert.Equal(2, (await Store.ReadOperationsAsync("e2", -1, 100)).Count);
        Assert.Equal(2, (await Store.ReadHistoryAsync("e2", 0, 100, descending: false)).Count);
        Assert.Equal(new CallbackLocation("cb2", "e2", "s1"), await Store.FindCallbackAsync("cb2"));
        Assert.Equal(2, (await Store.GetDueTimersAsync(now.AddDays(30), 100)).Count);
    }

    [Fact]
    public async Task Purge_StaleVersion_ReturnsFalseAndDeletesNothing()
    {
        await CreateWithCallbackAndTimerAsync("e1", "order-1", "cb1");
        long version = (await Store.LoadAsync("e1", []))!.Execution.Version;

        Assert.False(await Store.PurgeExecutionAsync("e1", version - 1));
        Assert.False(await Store.PurgeExecutionAsync("e1", 0));

        Assert.Equal(version, (await Store.LoadAsync("e1", []))!.Execution.Version);
        Assert.Equal(2, (await Store.ReadOperationsAsync("e1", -1, 100)).Count);
        Assert.Equal(2, (await Store.ReadHistoryAsync("e1", 0, 100, descending: false)).Count);
        Assert.NotNull(await Store.FindCallbackAsync("cb1"));
        Assert.Equal(2, (await Store.GetDueTimersAsync(Time.GetUtcNow().AddDays(30), 100)).Count);
    }

    [Fact]
    public async Task Purge_FreesTheName()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", now), now);

        Assert.True(await Store.PurgeExecutionAsync("e1", 1));

        CreateExecutionResult second = await Store.CreateExecutionAsync(StoreSamples.Creation("e2", "order-1", now, input: "other"), now);
        Assert.True(second.Created);
        Assert.Equal("e2", (await Store.ListExecutionsAsync(new ExecutionQuery { FunctionName = StoreSamples.Function, ExecutionName = "order-1" })).Single().ExecutionId);
    }

    [Fact]
    public async Task Purge_UnknownExecutionAtVersionZero_DeletesOnlyTheTimersLeftUnderItsId()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation("e1", "order-1", now), now);
        Assert.True(await Store.TryCommitAsync(new ExecutionChange
        {
            Execution = (await Store.LoadAsync("e1", []))!.Execution with { Version = 2 },
            ExpectedVersion = 1,
            TimersToSet = [new TimerRecord("gone", "notice", TimerKind.ChildCompleted, now, "op", "e1")],
        }));

        Assert.True(await Store.PurgeExecutionAsync("gone", 0));

        TimerRecord left = Assert.Single(await Store.GetDueTimersAsync(now.AddDays(30), 100));
        Assert.Equal(("e1", TimerRecord.TimeoutKey), (left.ExecutionId, left.Key));
        Assert.NotNull(await Store.LoadAsync("e1", []));
    }

    /// <summary>An execution with a step, two events, a callback, its timeout timer and a wait timer.</summary>
    private async Task CreateWithCallbackAndTimerAsync(string executionId, string name, string callbackId)
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation(executionId, name, now), now);
        ExecutionRecord header = (await Store.LoadAsync(executionId, []))!.Execution;
        Assert.True(await Store.TryCommitAsync(new ExecutionChange
        {
            Execution = header with { Version = 2, OperationCount = 2, EventCount = 2 },
            ExpectedVersion = 1,
            Operations = [StoreSamples.Step(1, "s1")],
            Events = [StoreSamples.Event(2, "s1")],
            TimersToSet = [new TimerRecord(executionId, "wait", TimerKind.WaitEnd, now.AddSeconds(10), "s1")],
            NewCallbacks = [new CallbackLocation(callbackId, executionId, "s1")],
        }));
    }

    private async Task CreateWithStepsAsync(string executionId, int steps)
    {
        DateTimeOffset now = Time.GetUtcNow();
        await Store.CreateExecutionAsync(StoreSamples.Creation(executionId, executionId + "-name", now), now);
        ExecutionRecord header = (await Store.LoadAsync(executionId, []))!.Execution;
        Assert.True(await Store.TryCommitAsync(new ExecutionChange
        {
            Execution = header with { Version = 2, OperationCount = steps + 1, EventCount = steps + 1 },
            ExpectedVersion = 1,
            Operations = [.. Enumerable.Range(1, steps).Select(i => StoreSamples.Step(i, "s" + i))],
            Events = [.. Enumerable.Range(2, steps).Select(i => StoreSamples.Event(i, "s" + (i - 1)))],
        }));
    }
}
