using Durably.Engine;
using Durably.Protocol;
using Durably.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Worker.Tests;

/// <summary>
/// A failing HTTP function is not invoked forever: ten failures in a row fail the execution, and
/// <see cref="DurablyOptions.MaxInvocationsPerExecution"/> bounds one that fails only now and then.
/// </summary>
public sealed class HttpFunctionRetryLimitTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AlwaysFailingFunction_FailsTheExecutionAfterTenInvocations_WithTheLastError()
    {
        int requests = 0;
        await using TestServer worker = await TestServer.StartAppAsync(app => app.MapPost("/fn", async context =>
        {
            int request = Interlocked.Increment(ref requests);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync($"down #{request}");
        }));
        await using TestServer server = await TestServer.StartDurablyAsync(_time, durably => durably.AddHttpFunction("down", new Uri(worker.Address, "fn")));

        string arn = (await server.Client.StartAsync("down", "x")).DurableExecutionArn;
        DurableExecutionDescription execution = await RunUntilClosedAsync(server, arn);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal(10, requests);
        Assert.Equal("Runtime.ExitError", execution.Error!.ErrorType);
        Assert.EndsWith("answered 503 Service Unavailable: down #10", execution.Error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionFailingEveryOtherInvocation_FailsAtMaxInvocationsPerExecution()
    {
        int requests = 0;
        Uri? workerUrl = null;
        await using TestServer server = await TestServer.StartDurablyAsync(_time, durably =>
        {
            durably.Services.AddSingleton(new DurablyOptions { MaxInvocationsPerExecution = 6 });
            durably.AddRawFunction("flaky", (input, client, cancellationToken) =>
                HttpFunction.CreateHandler(workerUrl!, TimeSpan.FromMinutes(1), _time)(input, client, cancellationToken));
        });
        await using TestServer worker = await TestServer.StartAppAsync(app =>
        {
            // Every odd request fails; every even one runs the workflow, which waits a second again and again.
            app.Use(async (context, next) =>
            {
                if (Interlocked.Increment(ref requests) % 2 == 1)
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }

                await next(context);
            });
            app.MapDurableFunction<string, string>("/fn", async (_, context) =>
            {
                for (int tick = 0; ; tick++)
                {
                    await context.WaitAsync(TimeSpan.FromSeconds(1), $"tick-{tick}");
                }
            }, options => options.ServerUrl = server.Address);
        });
        workerUrl = new Uri(worker.Address, "fn");

        string arn = (await server.Client.StartAsync("flaky", "x")).DurableExecutionArn;
        DurableExecutionDescription execution = await RunUntilClosedAsync(server, arn);

        Assert.Equal(6, requests);
        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Equal("MaxInvocationsExceeded", execution.Error!.ErrorType);
        Assert.Contains("DurablyOptions.MaxInvocationsPerExecution", execution.Error.ErrorMessage, StringComparison.Ordinal);
    }

    /// <summary>Skips fake time from due timer to due timer until the execution closes (at most 30 jumps).</summary>
    private async Task<DurableExecutionDescription> RunUntilClosedAsync(TestServer server, string arn)
    {
        await server.IdleAsync();
        for (int jump = 0; jump < 30; jump++)
        {
            DurableExecutionDescription execution = await server.Engine.GetExecutionAsync(arn);
            if (execution.Status != ExecutionStatus.Running)
            {
                return execution;
            }

            DateTimeOffset due = await server.Engine.GetNextDueTimeAsync() ?? throw new InvalidOperationException("The running execution has no due timer.");
            _time.Advance(due - _time.GetUtcNow());
            server.Engine.Wake();
            await server.IdleAsync();
        }

        throw new TimeoutException("The execution did not close within 30 timer jumps.");
    }
}
