using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Xunit;

namespace Durably.StoreContract;

/// <summary>The queries of the web console: counts per version and status, and the name-prefix filter.</summary>
public abstract partial class ExecutionStoreContractTests
{
    [Fact]
    public async Task CountExecutions_CountsPerVersionAndStatus_LeavingOutOtherFunctionsAndExpiredExecutions()
    {
        DateTimeOffset now = Time.GetUtcNow();
        await CreateAsync("e1", "a", now);
        await CreateAsync("e2", "b", now);
        await CloseAsync("e2", ExecutionStatus.Succeeded, retentionDays: 14);
        await CreateAsync("e3", "c", now);
        await CloseAsync("e3", ExecutionStatus.Failed, retentionDays: 1);
        await CreateAsync("e4", "d", now, version: "2");
        await CreateAsync("e5", "e", now, version: "2");
        await CreateAsync("e6", "f", now, function: "other-fn");

        Assert.Equal(
            [("1", ExecutionStatus.Running, 1L), ("1", ExecutionStatus.Succeeded, 1L), ("1", ExecutionStatus.Failed, 1L), ("2", ExecutionStatus.Running, 2L)],
            await CountAsync(now));
        Assert.Equal(
            [("1", ExecutionStatus.Running, 1L), ("1", ExecutionStatus.Succeeded, 1L), ("2", ExecutionStatus.Running, 2L)],
            await CountAsync(now.AddDays(1)));
        Assert.Empty(await Store.CountExecutionsAsync("unknown-fn", now));
    }

    [Fact]
    public async Task ListExecutions_ByNamePrefix_MatchesExactlyTheNamesThatStartWithIt()
    {
        DateTimeOffset now = Time.GetUtcNow();
        string[] names = ["ord", "order", "order-1", "order-10", "order-2", "orders", "ordes", "Order-1", "x-order-1"];
        for (int index = 0; index < names.Length; index++)
        {
            await CreateAsync($"e{index}", names[index], now.AddSeconds(index));
        }

        Assert.Equal(["order-1", "order-10"], await ListByPrefixAsync("order-1"));
        Assert.Equal(["order", "order-1", "order-10", "order-2", "orders"], await ListByPrefixAsync("order"));
        Assert.Equal(["ordes"], await ListByPrefixAsync("ordes"));
        Assert.Empty(await ListByPrefixAsync("order-3"));
    }

    private async Task CreateAsync(string executionId, string name, DateTimeOffset start, string version = "1", string function = StoreSamples.Function)
    {
        ExecutionChange creation = StoreSamples.Creation(executionId, name, start, function: function);
        await Store.CreateExecutionAsync(creation with { Execution = creation.Execution with { FunctionVersion = version } }, start);
    }

    private async Task CloseAsync(string executionId, ExecutionStatus status, int retentionDays)
    {
        ExecutionRecord execution = (await Store.LoadAsync(executionId, []))!.Execution;
        Assert.True(await Store.TryCommitAsync(new ExecutionChange
        {
            Execution = execution with { Version = execution.Version + 1, Status = status, EndTimestamp = Time.GetUtcNow(), RetentionPeriodInDays = retentionDays },
            ExpectedVersion = execution.Version,
        }));
    }

    private async Task<(string, ExecutionStatus, long)[]> CountAsync(DateTimeOffset now) =>
        [.. (await Store.CountExecutionsAsync(StoreSamples.Function, now))
            .Select(count => (count.FunctionVersion, count.Status, count.Count))
            .Order()];

    private async Task<string[]> ListByPrefixAsync(string prefix) =>
        [.. (await Store.ListExecutionsAsync(new ExecutionQuery { FunctionName = StoreSamples.Function, ExecutionNamePrefix = prefix }))
            .Select(execution => execution.ExecutionName)];
}
