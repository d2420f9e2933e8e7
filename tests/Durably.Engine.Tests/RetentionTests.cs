using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Engine.Tests;

/// <summary>PROTOCOL.md §3.3 retention: a closed execution is readable for its retention, then purged and its name is free.</summary>
public sealed class RetentionTests
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(14);

    [Theory]
    [InlineData("succeed")]
    [InlineData("fail")]
    [InlineData("stop")]
    [InlineData("time out")]
    public async Task ClosedExecution_IsReadableUntilItsRetentionEnds_ThenPurgedAndItsNameFree(string outcome)
    {
        await using EngineHarness harness = HarnessWithKeeper();
        harness.Register(invocation => outcome switch
        {
            "succeed" => Task.FromResult(EngineHarness.Succeeded()),
            "fail" => Task.FromResult(EngineHarness.Failed("no")),
            _ => AwaitCallbackAsync(invocation),
        }, executionTimeout: TimeSpan.FromHours(1));
        string keeper = await harness.StartAsync(name: "keeper", function: "keeper");
        string arn = await harness.StartAsync(name: "order-1");
        if (outcome == "stop")
        {
            await harness.Engine.StopExecutionAsync(arn);
        }
        else if (outcome == "time out")
        {
            await harness.AdvanceAsync(TimeSpan.FromHours(1));
        }

        DurableExecutionDescription closed = await harness.DescribeAsync(arn);
        Assert.NotEqual(ExecutionStatus.Running, closed.Status);
        int keeperEvents = (await harness.HistoryAsync(keeper)).Count;

        await harness.AdvanceAsync(closed.EndTimestamp!.Value + Retention - harness.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Equal(closed.Status, (await harness.DescribeAsync(arn)).Status);
        Assert.NotEmpty(await harness.HistoryAsync(arn));
        Assert.Contains(arn, await ListedArnsAsync(harness));

        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        await AssertNotFoundAsync(() => harness.Engine.GetExecutionAsync(arn));
        await AssertNotFoundAsync(() => harness.Engine.GetHistoryAsync(arn));
        Assert.DoesNotContain(arn, await ListedArnsAsync(harness));
        Assert.Null(await harness.Store.LoadAsync(ExecutionId(arn), []));
        Assert.Equal(ExecutionStatus.Running, (await harness.DescribeAsync(keeper)).Status);
        Assert.Equal(keeperEvents, (await harness.HistoryAsync(keeper)).Count);

        StartExecutionResult again = await harness.Engine.StartExecutionAsync(EngineHarness.FunctionName, "\"another input\"", "order-1");
        Assert.False(again.AlreadyExisted);
        Assert.NotEqual(arn, again.DurableExecutionArn);
    }

    [Fact]
    public async Task ExpiredExecution_NotYetPurged_AlreadyAnswersAsUnknown()
    {
        await using var harness = new EngineHarness();
        string? callbackId = null;
        harness.Register(async invocation =>
        {
            CheckpointDurableExecutionResponse response = await invocation.CheckpointAsync(Updates.Callback("cb"));
            callbackId = response.NewExecutionState!.Operations.Single(o => o.Id == "cb").CallbackDetails!.CallbackId;
            return EngineHarness.Pending();
        });
        string arn = await harness.StartAsync();
        await harness.Engine.StopExecutionAsync(arn);
        DurableServiceException retained = await Assert.ThrowsAsync<DurableServiceException>(() => harness.Engine.SendCallbackSuccessAsync(callbackId!, "1"));
        Assert.NotEqual(ServiceErrorCodes.ResourceNotFound, retained.ErrorCode);

        // No dispatcher: the retention timer falls due but nothing purges (a server that was down).
        await harness.Engine.StopAsync();
        harness.Time.Advance(Retention);

        Assert.NotNull(await harness.Store.LoadAsync(ExecutionId(arn), []));
        await AssertNotFoundAsync(() => harness.Engine.GetExecutionAsync(arn));
        await AssertNotFoundAsync(() => harness.Engine.GetHistoryAsync(arn));
        await AssertNotFoundAsync(() => harness.Engine.GetOperationsAsync(arn));
        await AssertNotFoundAsync(() => harness.Engine.StopExecutionAsync(arn));
        DurableServiceException callback = await AssertNotFoundAsync(() => harness.Engine.SendCallbackSuccessAsync(callbackId!, "1"));
        Assert.Equal("The callback does not exist.", callback.Message);
        Assert.Empty(await ListedArnsAsync(harness));
        DurableServiceException state = await Assert.ThrowsAsync<DurableServiceException>(() => harness.Engine.GetExecutionStateAsync(
            new GetDurableExecutionStateRequest { DurableExecutionArn = arn, CheckpointToken = "any" }));
        Assert.Contains("the execution does not exist", state.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetentionTimerDueBeforeTheRetentionEnds_IsReArmedAndPurgesNothing()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded()));
        string arn = await harness.StartAsync();
        string id = ExecutionId(arn);
        ExecutionRecord closed = (await harness.Store.LoadAsync(id, []))!.Execution;
        DateTimeOffset now = harness.Time.GetUtcNow();
        Assert.Equal(closed.EndTimestamp + Retention, Assert.Single(await harness.Engine.GetTimersDueByAsync(now + Retention)).DueAt);

        // As if the clock had stood later when the timer was set: it falls due now, before the retention ends.
        Assert.True(await harness.Store.TryCommitAsync(new ExecutionChange
        {
            Execution = closed with { Version = closed.Version + 1 },
            ExpectedVersion = closed.Version,
            TimersToSet = [new TimerRecord(id, TimerRecord.RetentionKey, TimerKind.Retention, now)],
        }));
        await harness.AdvanceAsync(TimeSpan.Zero);

        Assert.Equal(ExecutionStatus.Succeeded, (await harness.DescribeAsync(arn)).Status);
        TimerRecord rearmed = Assert.Single(await harness.Engine.GetTimersDueByAsync(now + Retention));
        Assert.Equal((TimerKind.Retention, closed.EndTimestamp + Retention), (rearmed.Kind, (DateTimeOffset?)rearmed.DueAt));
    }

    [Fact]
    public async Task ParentPurgedBeforeItsChildCloses_TheChildsNoticeIsDropped()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            await invocation.CheckpointAsync(Updates.Invoke("i1", "child", "\"ping\""));
            return EngineHarness.Pending();
        });
        harness.Register(AwaitCallbackAsync, name: "child", executionTimeout: TimeSpan.FromDays(30));
        string parent = await harness.StartAsync();
        string child = (await harness.HistoryAsync(parent)).Single(e => e.EventType == HistoryEventTypes.ChainedInvokeStarted).Details.DurableExecutionArn!;
        await harness.Engine.StopExecutionAsync(parent);
        await harness.AdvanceAsync(Retention);
        Assert.Null(await harness.Store.LoadAsync(ExecutionId(parent), []));

        // The child's close sets a ChildCompleted notice for the purged parent; the dispatcher must drop it, not retry it.
        await harness.Engine.StopExecutionAsync(child);
        await harness.IdleAsync();

        IReadOnlyList<TimerRecord> timers = await harness.Engine.GetTimersDueByAsync(DateTimeOffset.MaxValue);
        Assert.DoesNotContain(timers, timer => timer.ExecutionId == ExecutionId(parent));
        Assert.Equal(TimerKind.Retention, Assert.Single(timers).Kind);
        Assert.Equal(ExecutionStatus.Stopped, (await harness.DescribeAsync(child)).Status);
    }

    [Fact]
    public async Task RetentionBeyondTaskDelaysLimit_TheDispatcherSleepsWithoutFailing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var errors = new ErrorCounter();
        await using var engine = new DurableEngine(new InMemoryExecutionStore(), new FunctionRegistry(), time, loggerFactory: errors);
        engine.Functions.Register(new RegisteredFunction
        {
            Name = "long-kept",
            Version = "1",
            ExecutionTimeout = TimeSpan.FromHours(1),
            RetentionPeriodInDays = 90,
            InvocationTimeout = TimeSpan.FromMinutes(1),
            Handler = (_, _, _) => Task.FromResult(EngineHarness.Succeeded()),
        });
        await engine.StartAsync();
        string arn = (await engine.StartExecutionAsync("long-kept", "1")).DurableExecutionArn;
        await engine.WaitForCompletionAsync(arn);
        await engine.WaitUntilIdleAsync();

        // The only timer is 90 days out, beyond what Task.Delay accepts; stopping waits for the dispatcher's sleep.
        await engine.StopAsync();

        Assert.Equal(0, errors.Count);
    }

    /// <summary>A harness with a "keeper" function that stays running (on a callback) for 30 days.</summary>
    private static EngineHarness HarnessWithKeeper()
    {
        var harness = new EngineHarness();
        harness.Register(AwaitCallbackAsync, name: "keeper", executionTimeout: TimeSpan.FromDays(30));
        return harness;
    }

    private static async Task<DurableExecutionInvocationOutput> AwaitCallbackAsync(RawInvocation invocation)
    {
        await invocation.CheckpointAsync(Updates.Callback("cb"));
        return EngineHarness.Pending();
    }

    private static async Task<IReadOnlyList<string>> ListedArnsAsync(EngineHarness harness) =>
        [.. (await harness.Engine.ListExecutionsAsync(new ListDurableExecutionsRequest { FunctionName = EngineHarness.FunctionName })).DurableExecutions
            .Select(summary => summary.DurableExecutionArn)];

    private static async Task<DurableServiceException> AssertNotFoundAsync(Func<Task> read)
    {
        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(read);
        Assert.Equal((ServiceErrorCodes.ResourceNotFound, 404), (error.ErrorCode, error.StatusCode));
        return error;
    }

    private static string ExecutionId(string arn) => arn.Split('/')[^1];

    /// <summary>Counts the errors logged (the dispatcher logs each failed pass).</summary>
    private sealed class ErrorCounter : ILoggerFactory, ILogger
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Interlocked.Increment(ref _count);
            }
        }

        public void Dispose()
        {
        }
    }
}
