using Durably.Engine;
using Durably.Protocol;
using Durably.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Worker.Tests;

/// <summary>
/// docs/http-functions.md: an answer over 6 MiB (Lambda's response limit) is refused, and a redirect is never followed;
/// both are invocation failures (<c>Function.HttpError</c>) that say what happened.
/// </summary>
public sealed class HttpFunctionAnswerLimitTests
{
    private const int SixMiB = 6 * 1024 * 1024;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnswerOf6MiBPlusOneByte_FailsTheInvocation_NamingTheLimit(bool withContentLength)
    {
        await using TestServer worker = await StartWorkerAnsweringAsync(SixMiB + 1, withContentLength);
        await using TestServer server = await TestServer.StartDurablyAsync(_time, durably => durably.AddHttpFunction("big", new Uri(worker.Address, "fn")));

        string arn = (await server.Client.StartAsync("big", "\"x\"")).DurableExecutionArn;
        await server.IdleAsync();

        ErrorObject error = Assert.Single(await server.InvocationErrorsAsync(arn));
        Assert.Equal(
            $"HttpFunctionException: {HttpFunctionException.HttpError}: POST {worker.Address}fn answered more than 6 MiB (6291456 bytes, Lambda's response limit); the output was not read.",
            error.ErrorMessage);
        Assert.Equal(ExecutionStatus.Running, (await server.Engine.GetExecutionAsync(arn)).Status);
    }

    [Fact]
    public async Task AnswerOfExactly6MiB_IsRead()
    {
        await using TestServer worker = await StartWorkerAnsweringAsync(SixMiB, withContentLength: true);
        await using TestServer server = await TestServer.StartDurablyAsync(_time, durably => durably.AddHttpFunction("big", new Uri(worker.Address, "fn")));

        string arn = (await server.Client.StartAsync("big", "\"x\"")).DurableExecutionArn;
        await server.IdleAsync();

        Assert.Empty(await server.InvocationErrorsAsync(arn));
        Assert.Equal(ExecutionStatus.Succeeded, (await server.Engine.GetExecutionAsync(arn)).Status);
    }

    [Fact]
    public async Task Redirect_IsNotFollowed_AndFailsTheInvocation()
    {
        int redirected = 0;
        // Answers any method: a followed 302 turns the POST into a GET.
        await using TestServer elsewhere = await TestServer.StartAppAsync(app => app.Run(context =>
        {
            Interlocked.Increment(ref redirected);
            return context.Response.WriteAsync("{\"Status\":\"SUCCEEDED\",\"Result\":\"\\\"stolen\\\"\"}");
        }));
        await using TestServer worker = await TestServer.StartAppAsync(app => app.MapPost("/fn", context =>
        {
            context.Response.Redirect(new Uri(elsewhere.Address, "fn").AbsoluteUri);
            return Task.CompletedTask;
        }));
        await using TestServer server = await TestServer.StartDurablyAsync(_time, durably => durably.AddHttpFunction("moved", new Uri(worker.Address, "fn")));

        string arn = (await server.Client.StartAsync("moved", "\"x\"")).DurableExecutionArn;
        await server.IdleAsync();

        ErrorObject error = Assert.Single(await server.InvocationErrorsAsync(arn));
        Assert.Equal($"HttpFunctionException: {HttpFunctionException.HttpError}: POST {worker.Address}fn answered 302 Found (empty body)", error.ErrorMessage);
        Assert.Equal(0, redirected);
        Assert.Equal(ExecutionStatus.Running, (await server.Engine.GetExecutionAsync(arn)).Status);
    }

    /// <summary>A worker answering a valid SUCCEEDED output of exactly <paramref name="bytes"/> bytes.</summary>
    private static Task<TestServer> StartWorkerAnsweringAsync(int bytes, bool withContentLength) => TestServer.StartAppAsync(app => app.MapPost("/fn", async context =>
    {
        byte[] prefix = "{\"Status\":\"SUCCEEDED\",\"Result\":\""u8.ToArray();
        byte[] suffix = "\"}"u8.ToArray();
        byte[] body = new byte[bytes];
        prefix.CopyTo(body, 0);
        body.AsSpan(prefix.Length, bytes - prefix.Length - suffix.Length).Fill((byte)'a');
        suffix.CopyTo(body, bytes - suffix.Length);
        context.Response.ContentType = "application/json";
        if (withContentLength)
        {
            context.Response.ContentLength = bytes;
        }

        await context.Response.Body.WriteAsync(body);
    }));
}
