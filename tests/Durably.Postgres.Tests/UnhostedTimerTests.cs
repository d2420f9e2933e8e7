using Durably.Engine;
using Durably.Protocol;

namespace Durably.Postgres.Tests;

/// <summary>
/// A node whose store holds a due invocation of a function version it does not host must not spin: it leaves the
/// invocation to the nodes that host the version and looks again after the store's poll interval.
/// </summary>
public sealed class UnhostedTimerTests
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task DueInvocationOfAVersionThisNodeDoesNotHost_DispatcherSleepsThePollInterval_AndLeavesIt()
    {
        var schema = new TempPostgresSchema();
        var options = new PostgresStoreOptions { ConnectionString = schema.ConnectionString, PollInterval = PollInterval };
        await using PostgresExecutionStore starterStore = await PostgresExecutionStore.OpenAsync(options);
        await using PostgresExecutionStore nodeStore = await PostgresExecutionStore.OpenAsync(options);

        // The starter hosts "other" but does not dispatch, so the started execution's invocation stays due.
        await using var starter = new DurableEngine(starterStore, new FunctionRegistry([Function("other")]), TimeProvider.System);
        string arn = (await starter.StartExecutionAsync("other", "\"in\"")).DurableExecutionArn;

        // The node hosts only "hosted"; its clock is past the invocation's due time.
        var time = new TimerWatchingTimeProvider(TimeProvider.System.GetUtcNow().AddMinutes(1));
        await using var node = new DurableEngine(nodeStore, new FunctionRegistry([Function("hosted")]), time);
        await node.StartAsync();

        await time.WhenTimerArmedAsync(PollInterval);
        Assert.Equal(ExecutionStatus.Running, (await node.GetExecutionAsync(arn)).Status);
        Assert.DoesNotContain((await node.GetHistoryAsync(arn)).Events, item => item.EventType == HistoryEventTypes.InvocationCompleted);
        await node.StopAsync();
        await schema.DropAsync();
    }

    private static RegisteredFunction Function(string name) => new()
    {
        Name = name,
        Version = "1",
        ExecutionTimeout = TimeSpan.FromDays(1),
        RetentionPeriodInDays = 1,
        InvocationTimeout = TimeSpan.FromMinutes(15),
        Handler = (_, _, _) => Task.FromResult(new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "1" }),
    };
}
