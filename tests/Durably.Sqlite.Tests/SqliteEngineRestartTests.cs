using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Sqlite.Tests;

/// <summary>The engine on a file, stopped mid-way and started again on the same file (PROTOCOL.md §0 "Lost invocations").</summary>
public sealed class SqliteEngineRestartTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Delete();

    [Fact]
    public async Task Restart_PendingWaitFiresAndTheLostInvocationIsReclaimedAtOnce()
    {
        var invokedBeforeRestart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string waiting, lost;
        await using (ServiceProvider before = Build(durably => durably
            .AddFunction<string, string>("waiter", async (input, context) =>
            {
                await context.WaitAsync(TimeSpan.FromSeconds(60), "pause");
                return "woke";
            })
            .AddFunction<string, string>("stuck", async (input, context) =>
            {
                invokedBeforeRestart.TrySetResult();
                await new TaskCompletionSource().Task;
                return "never";
            })))
        {
            DurableEngine engine = await StartAsync(before);
            // The waiter first, until it has suspended on its wait: the stuck invocation keeps the engine busy from then on.
            waiting = (await engine.StartExecutionAsync("waiter", "\"w\"")).DurableExecutionArn;
            await IdleAsync(engine);
            lost = (await engine.StartExecutionAsync("stuck", "\"s\"")).DurableExecutionArn;
            await invokedBeforeRestart.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Contains(await engine.EventTypesAsync(waiting), type => type == HistoryEventTypes.InvocationCompleted);
        }

        await using ServiceProvider after = Build(durably => durably
            .AddFunction<string, string>("waiter", async (input, context) =>
            {
                await context.WaitAsync(TimeSpan.FromSeconds(60), "pause");
                return "woke";
            })
            .AddFunction<string, string>("stuck", (input, context) => Task.FromResult("recovered")));
        DurableEngine restarted = await StartAsync(after);
        await IdleAsync(restarted);

        IReadOnlyList<HistoryEvent> lostHistory = (await restarted.GetHistoryAsync(lost, maxItems: 100)).Events;
        HistoryEvent exit = Assert.Single(lostHistory, e => e.EventType == HistoryEventTypes.InvocationCompleted);
        Assert.Equal("Runtime.ExitError", exit.Details.Error!.Payload!.ErrorType);
        Assert.Equal(_time.GetUtcNow(), exit.EventTimestamp);

        await AdvanceAsync(restarted, TimeSpan.FromSeconds(1));
        Assert.Equal(ExecutionStatus.Succeeded, (await restarted.GetExecutionAsync(lost)).Status);
        Assert.Equal(ExecutionStatus.Running, (await restarted.GetExecutionAsync(waiting)).Status);

        await AdvanceAsync(restarted, TimeSpan.FromSeconds(59));
        DurableExecutionDescription woke = await restarted.GetExecutionAsync(waiting);
        Assert.Equal(ExecutionStatus.Succeeded, woke.Status);
        Assert.Equal("\"woke\"", woke.Result);
    }

    [Fact]
    public async Task Restart_ClosedExecutionIsPurgedWhenItsRetentionEnds()
    {
        string closed;
        await using (ServiceProvider before = Build(durably => durably.AddFunction<string, string>("quick", (input, context) => Task.FromResult("done"))))
        {
            DurableEngine engine = await StartAsync(before);
            closed = (await engine.StartExecutionAsync("quick", "\"q\"", "order-1")).DurableExecutionArn;
            await IdleAsync(engine);
            Assert.Equal(ExecutionStatus.Succeeded, (await engine.GetExecutionAsync(closed)).Status);
        }

        await using ServiceProvider after = Build(durably => durably.AddFunction<string, string>("quick", (input, context) => Task.FromResult("done")));
        DurableEngine restarted = await StartAsync(after);
        await AdvanceAsync(restarted, TimeSpan.FromDays(14) - TimeSpan.FromSeconds(1));
        Assert.Equal(ExecutionStatus.Succeeded, (await restarted.GetExecutionAsync(closed)).Status);

        await AdvanceAsync(restarted, TimeSpan.FromSeconds(1));

        DurableServiceException gone = await Assert.ThrowsAsync<DurableServiceException>(() => restarted.GetExecutionAsync(closed));
        Assert.Equal(404, gone.StatusCode);
        Assert.Empty(await restarted.GetTimersDueByAsync(DateTimeOffset.MaxValue));
        Assert.False((await restarted.StartExecutionAsync("quick", "\"other\"", "order-1")).AlreadyExisted);
    }

    [Fact]
    public async Task Restart_KeepsTheBytesWrittenTotal_SoTheLimitStillHolds()
    {
        static void Limit(DurablyOptions options) => options.MaxBytesWrittenPerExecution = 2_000;
        static void Function(IDurablyBuilder durably) => durably.AddFunction<string, string>("writer", async (input, context) =>
        {
            // Each result is stored as a 1,002-byte JSON string; the input "w" is 3 bytes.
            await context.StepAsync((_, _) => Task.FromResult(new string('x', 1_000)), "a");
            await context.WaitAsync(TimeSpan.FromSeconds(60), "pause");
            await context.StepAsync((_, _) => Task.FromResult(new string('y', 1_000)), "b");
            return "done";
        });

        string arn;
        await using (ServiceProvider before = Build(Function, Limit))
        {
            DurableEngine engine = await StartAsync(before);
            arn = (await engine.StartExecutionAsync("writer", "\"w\"")).DurableExecutionArn;
            await IdleAsync(engine);
        }

        await using ServiceProvider after = Build(Function, Limit);
        DurableEngine restarted = await StartAsync(after);
        ExecutionSnapshot reloaded = (await after.GetRequiredService<IExecutionStore>().LoadAsync(arn.Split('/')[^1], []))!;
        Assert.Equal(1_005, reloaded.Execution.BytesWritten);

        await AdvanceAsync(restarted, TimeSpan.FromSeconds(60));

        DurableExecutionDescription failed = await restarted.GetExecutionAsync(arn);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal("InvalidParameterValueException", failed.Error!.ErrorType);
        Assert.Contains("would write 1002 bytes; the execution has written 1005 bytes and the limit is 2000 bytes per execution.", failed.Error.ErrorMessage, StringComparison.Ordinal);
    }

    private ServiceProvider Build(Action<IDurablyBuilder> functions, Action<DurablyOptions>? engine = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        functions(services.AddDurably(engine).UseSqlite(_database.ConnectionString));
        return services.BuildServiceProvider();
    }

    private static async Task<DurableEngine> StartAsync(ServiceProvider services)
    {
        DurableEngine engine = services.GetRequiredService<DurableEngine>();
        await engine.StartAsync();
        return engine;
    }

    private async Task AdvanceAsync(DurableEngine engine, TimeSpan by)
    {
        _time.Advance(by);
        engine.Wake();
        await IdleAsync(engine);
    }

    private static Task IdleAsync(DurableEngine engine) => engine.WaitUntilIdleAsync();
}
