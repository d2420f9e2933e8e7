using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

public sealed class DurableHttpClientTests : IAsyncLifetime
{
    private readonly InvocationProbe _probe = new();
    private DurablyTestServer _server = null!;
    private DurableHttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions().AddRawFunction("probe", _probe.Handler));
        _client = new DurableHttpClient(_server.Client);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task StartAsync_ReportsAlreadyExisted_AndConflicts()
    {
        StartExecutionResult first = await _client.StartAsync("approval", new { Id = 1 }, "dup");
        StartExecutionResult again = await _client.StartAsync("approval", new { Id = 1 }, "dup");
        DurableExecutionAlreadyStartedException conflict = await Assert.ThrowsAsync<DurableExecutionAlreadyStartedException>(() => _client.StartAsync("approval", new { Id = 2 }, "dup"));

        Assert.False(first.AlreadyExisted);
        Assert.True(again.AlreadyExisted);
        Assert.Equal(first.DurableExecutionArn, again.DurableExecutionArn);
        Assert.Equal(409, conflict.StatusCode);
    }

    [Fact]
    public async Task StartAsync_UnknownFunction_ThrowsResourceNotFound()
    {
        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(() => _client.StartAsync("missing", 1));

        Assert.Equal(ServiceErrorCodes.ResourceNotFound, error.ErrorCode);
        Assert.Equal(404, error.StatusCode);
    }

    [Fact]
    public async Task StartAsync_NameVersion_PinsTheVersion()
    {
        StartExecutionResult started = await _client.StartAsync("versioned:1", "x");

        Assert.Equal("v1:x", await _client.WaitForResultAsync<string>(started.DurableExecutionArn).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("1", (await _client.GetExecutionAsync(started.DurableExecutionArn)).Version);
    }

    [Fact]
    public async Task WaitForResultAsync_FailedExecution_ThrowsDurableExecutionFailedException()
    {
        StartExecutionResult started = await _client.StartAsync("fails", "x");

        DurableExecutionFailedException error = await Assert.ThrowsAsync<DurableExecutionFailedException>(() => _client.WaitForResultAsync<string>(started.DurableExecutionArn).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(ExecutionStatus.Failed, error.Status);
        Assert.Equal("boom", error.Error!.ErrorMessage);
    }

    [Fact]
    public async Task StopExecutionAsync_StopsWithTheError_AndWaitThrowsStopped()
    {
        StartExecutionResult started = await _client.StartAsync("approval", "x");
        await _server.IdleAsync();

        await _client.StopExecutionAsync(started.DurableExecutionArn, new ErrorObject { ErrorType = "Abort", ErrorMessage = "enough" });
        await _client.StopExecutionAsync(started.DurableExecutionArn);
        DurableExecutionFailedException error = await Assert.ThrowsAsync<DurableExecutionFailedException>(() => _client.WaitForResultAsync<string>(started.DurableExecutionArn));

        Assert.Equal(ExecutionStatus.Stopped, error.Status);
        Assert.Equal("enough", error.Error!.ErrorMessage);
    }

    [Fact]
    public async Task SendCallbackFailureAsync_FailsTheExecution_AndClosedCallbacksThrowCallbackTimeout()
    {
        StartExecutionResult started = await _client.StartAsync("approval", "x");
        string callbackId = await _server.CallbackIdAsync(started.DurableExecutionArn);

        await _client.SendCallbackFailureAsync(callbackId, new ErrorObject { ErrorType = "No", ErrorMessage = "rejected" });
        await Assert.ThrowsAsync<DurableExecutionFailedException>(() => _client.WaitForResultAsync<string>(started.DurableExecutionArn).WaitAsync(TimeSpan.FromSeconds(10)));
        DurableServiceException closed = await Assert.ThrowsAsync<DurableServiceException>(() => _client.SendCallbackSuccessAsync(callbackId, "late"));

        Assert.Equal(ServiceErrorCodes.CallbackTimeout, closed.ErrorCode);
        Assert.Equal(400, closed.StatusCode);
    }

    [Fact]
    public async Task GetExecutionAsync_UnknownOrMalformedArn_ThrowsTheServiceError()
    {
        DurableServiceException unknown = await Assert.ThrowsAsync<DurableServiceException>(() =>
            _client.GetExecutionAsync("arn:aws:lambda:local:000000000000:function:echo:1/durable-execution/x/00000000-0000-0000-0000-000000000000"));
        DurableServiceException malformed = await Assert.ThrowsAsync<DurableServiceException>(() => _client.GetExecutionAsync("nonsense"));

        Assert.Equal(ServiceErrorCodes.ResourceNotFound, unknown.ErrorCode);
        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, malformed.ErrorCode);
    }

    [Fact]
    public async Task GetHistoryAsync_PagesThroughMoreThanOnePage()
    {
        StartExecutionResult started = await _client.StartAsync("probe", 1);
        ProbedInvocation invocation = await _probe.NextAsync();
        OperationUpdate[] updates = [.. Enumerable.Range(0, 600).SelectMany(index => new[]
        {
            new OperationUpdate { Id = $"s{index}", Type = OperationType.Step, Action = OperationAction.Start },
            new OperationUpdate { Id = $"s{index}", Type = OperationType.Step, Action = OperationAction.Succeed, Payload = "1" },
        })];
        await _server.Engine.CheckpointAsync(new CheckpointDurableExecutionRequest
        {
            DurableExecutionArn = started.DurableExecutionArn,
            CheckpointToken = invocation.Input.CheckpointToken,
            Updates = updates,
        });
        invocation.Return(InvocationStatus.Succeeded, "\"done\"");
        Assert.Equal("done", await _client.WaitForResultAsync<string>(started.DurableExecutionArn).WaitAsync(TimeSpan.FromSeconds(10)));

        IReadOnlyList<HistoryEvent> history = await _client.GetHistoryAsync(started.DurableExecutionArn);

        Assert.Equal(1 + 1200 + 2, history.Count);
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(e => e.EventId));
    }
}
