using Durably.Engine;
using Durably.Protocol;
using Durably.TestSupport;
using Durably.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Worker.Tests;

/// <summary>
/// An HTTP function whose endpoint is down, answers an error, hangs or answers garbage: each invocation is an
/// invocation failure, recorded in InvocationCompleted with a message that says what happened, and retried with
/// backoff (1 s, 2 s, 4 s …) while the execution stays RUNNING.
/// </summary>
public sealed class HttpFunctionFailureTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task WorkerDown_IsRecordedAsUnreachable_AndRetriedWithBackoff()
    {
        using var down = new UnreachablePort();
        var endpoint = new Uri(down.Address, "fn");
        await using TestServer server = await TestServer.StartDurablyAsync(_time, durably => durably.AddHttpFunction("down", endpoint));

        string arn = (await server.Client.StartAsync("down", "x")).DurableExecutionArn;
        await server.IdleAsync();
        ErrorObject first = Assert.Single(await server.InvocationErrorsAsync(arn));

        await AdvanceAsync(server, TimeSpan.FromMilliseconds(999));
        Assert.Single(await server.InvocationErrorsAsync(arn));
        await AdvanceAsync(server, TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, (await server.InvocationErrorsAsync(arn)).Count);
        await AdvanceAsync(server, TimeSpan.FromSeconds(2));
        Assert.Equal(3, (await server.InvocationErrorsAsync(arn)).Count);

        Assert.Equal("Runtime.ExitError", first.ErrorType);
        Assert.StartsWith($"HttpFunctionException: {HttpFunctionException.Unreachable}: POST {endpoint} failed", first.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Running, (await server.Engine.GetExecutionAsync(arn)).Status);
    }

    [Fact]
    public async Task Non2xxAnswer_IsRecordedWithTheStatusAndBody()
    {
        await using TestServer worker = await TestServer.StartAppAsync(app => app.MapPost("/fn", async context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("overloaded, try later");
        }));
        await using TestServer server = await TestServer.StartDurablyAsync(_time, durably => durably.AddHttpFunction("busy", new Uri(worker.Address, "fn")));

        string arn = (await server.Client.StartAsync("busy", "x")).DurableExecutionArn;
        await server.IdleAsync();

        ErrorObject error = Assert.Single(await server.InvocationErrorsAsync(arn));
        Assert.Equal($"HttpFunctionException: {HttpFunctionException.HttpError}: POST {worker.Address}fn answered 503 Service Unavailable: overloaded, try later", error.ErrorMessage);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"Status\":\"DONE\"}")]
    public async Task AnswerThatIsNotAnOutput_IsRecordedAsInvalidOutput(string body)
    {
        await using TestServer worker = await TestServer.StartAppAsync(app => app.MapPost("/fn", context => context.Response.WriteAsync(body)));
        await using TestServer server = await TestServer.StartDurablyAsync(_time, durably => durably.AddHttpFunction("garbage", new Uri(worker.Address, "fn")));

        string arn = (await server.Client.StartAsync("garbage", "x")).DurableExecutionArn;
        await server.IdleAsync();

        ErrorObject error = Assert.Single(await server.InvocationErrorsAsync(arn));
        Assert.StartsWith($"HttpFunctionException: {HttpFunctionException.InvalidOutput}: POST {worker.Address}fn answered a body that is not an invocation output", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointThatHangs_FailsTheInvocationAtItsInvocationTimeout()
    {
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TestServer worker = await TestServer.StartAppAsync(app => app.MapPost("/fn", async context =>
        {
            requested.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.RequestAborted);
        }));
        await using TestServer server = await TestServer.StartDurablyAsync(_time, durably =>
            durably.AddHttpFunction("slow", new Uri(worker.Address, "fn"), function => function.InvocationTimeout = TimeSpan.FromSeconds(5)));

        string arn = (await server.Client.StartAsync("slow", "x")).DurableExecutionArn;
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(await server.InvocationErrorsAsync(arn));
        await AdvanceAsync(server, TimeSpan.FromSeconds(5));

        // The engine's lease and the HTTP timeout end together; either records the timeout.
        ErrorObject error = Assert.Single(await server.InvocationErrorsAsync(arn));
        Assert.Contains("invocation timeout", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handler_ThrowsTimeout_WhenNoAnswerWithinTheInvocationTimeout()
    {
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TestServer worker = await TestServer.StartAppAsync(app => app.MapPost("/fn", async context =>
        {
            requested.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.RequestAborted);
        }));
        InvocationHandler handler = HttpFunction.CreateHandler(new Uri(worker.Address, "fn"), TimeSpan.FromSeconds(3), _time);
        var envelope = new DurableExecutionInvocationInput
        {
            DurableExecutionArn = "arn:aws:lambda:local:000000000000:function:fn:1/durable-execution/n/id",
            CheckpointToken = "token",
            InitialExecutionState = new InitialExecutionState(),
        };

        Task<DurableExecutionInvocationOutput> invocation = handler(envelope, null!, CancellationToken.None);
        await requested.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(3));

        HttpFunctionException exception = await Assert.ThrowsAsync<HttpFunctionException>(() => invocation.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpFunctionException.Timeout, exception.ErrorType);
        Assert.Equal($"Function.Timeout: POST {worker.Address}fn did not answer within the invocation timeout (3 s).", exception.Message);
    }

    private async Task AdvanceAsync(TestServer server, TimeSpan by)
    {
        _time.Advance(by);
        server.Engine.Wake();
        await server.IdleAsync();
    }
}
