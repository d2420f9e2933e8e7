using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

/// <summary>
/// A C# workflow run by <see cref="DurableFunction.WrapAsync{TInput, TOutput}"/> that checkpoints only through
/// <see cref="HttpDurableExecutionClient"/> against the server's REST API, driven by <see cref="DurableHttpClient"/>.
/// </summary>
public sealed class HttpWorkflowTests : IAsyncLifetime, IDisposable
{
    private HttpClient? _workerHttp;
    private DurablyTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await DurablyTestServer.StartAsync(durably => durably.AddRawFunction("remote-order", (input, _, cancellationToken) =>
            DurableFunction.WrapAsync<Order, Receipt>(OrderWorkflowAsync, input, new HttpDurableExecutionClient(_workerHttp!), cancellationToken: cancellationToken)));
        _workerHttp = new HttpClient { BaseAddress = _server.Address };
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _workerHttp?.Dispose();

    [Fact]
    public async Task Workflow_CheckpointingOverHttp_RunsStepsChildContextsAndACallbackToTheEnd()
    {
        var client = new DurableHttpClient(_server.Client);

        StartExecutionResult started = await client.StartAsync("remote-order", new Order("o-1", 3), "order-o-1");
        string callbackId = await _server.CallbackIdAsync(started.DurableExecutionArn);
        Assert.Equal(ExecutionStatus.Running, (await client.GetExecutionAsync(started.DurableExecutionArn)).Status);
        await client.SendCallbackHeartbeatAsync(callbackId);
        await client.SendCallbackSuccessAsync(callbackId, "approved");
        Receipt receipt = (await client.WaitForResultAsync<Receipt>(started.DurableExecutionArn).WaitAsync(TimeSpan.FromSeconds(10)))!;
        IReadOnlyList<HistoryEvent> history = await client.GetHistoryAsync(started.DurableExecutionArn);

        Assert.Equal(new Receipt("o-1", 30, "approved", ["a", "b"]), receipt with { Parts = [.. receipt.Parts] });
        Assert.Equal(2, history.Count(e => e.EventType == HistoryEventTypes.InvocationCompleted));
        Assert.Contains(history, e => e.EventType == HistoryEventTypes.CallbackSucceeded);
        Assert.Equal(HistoryEventTypes.ExecutionSucceeded, history[^1].EventType);
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(e => e.EventId));
    }

    private static async Task<Receipt> OrderWorkflowAsync(Order order, IDurableContext context)
    {
        int total = await context.StepAsync((_, _) => Task.FromResult(order.Quantity * 10), "price");
        IBatchResult<string> parts = await context.ParallelAsync<string>(
            [(child, _) => child.StepAsync((_, _) => Task.FromResult("a"), "part-a"), (child, _) => child.StepAsync((_, _) => Task.FromResult("b"), "part-b")], "parts");
        string approval = await context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "approval");
        return new Receipt(order.OrderId, total, approval, [.. parts.GetResults()]);
    }

    public sealed record Order(string OrderId, int Quantity);

    public sealed record Receipt(string OrderId, int Total, string Approval, IReadOnlyList<string> Parts)
    {
        public bool Equals(Receipt? other) => other is not null && OrderId == other.OrderId && Total == other.Total && Approval == other.Approval && Parts.SequenceEqual(other.Parts);

        public override int GetHashCode() => HashCode.Combine(OrderId, Total, Approval);
    }
}
