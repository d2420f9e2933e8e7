using System.Net;
using System.Net.Http.Json;
using Durably.Engine;
using Durably.Protocol;
using Durably.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Worker.Tests;

/// <summary>A server with API keys: the worker checkpoints with its key, and registrations need a listed host.</summary>
public sealed class ApiKeyTests
{
    private const string AdminKey = "admin-key-0123456789-0123456789-01";
    private const string WorkerKey = "worker-key-0123456789-0123456789-0";

    [Fact]
    public async Task WorkerWithADataPlaneKey_CheckpointsThroughAKeyedServer()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using TestServer server = await TestServer.StartDurablyAsync(time, _ => { }, options =>
        {
            options.ApiKeys.Add(AdminKey);
            options.ScopedApiKeys.Add(new DurablyApiKey { Key = WorkerKey, Scopes = { DurablyApiScope.DataPlane } });
            options.HttpFunctionHosts.Add("127.0.0.1");
        });
        await using TestServer worker = await TestServer.StartAppAsync(app =>
            app.MapDurableFunction<string, string>("/echo", (input, context) => context.StepAsync((_, _) => Task.FromResult(input.ToUpperInvariant()), "upper"),
                options =>
                {
                    options.ServerUrl = server.Address;
                    options.ApiKey = WorkerKey;
                }));
        using var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);

        using HttpResponseMessage registered = await http.PostAsJsonAsync("durably/functions", new { FunctionName = "echo", Url = new Uri(worker.Address, "echo").AbsoluteUri }, DurablyJson.Api);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        string arn = (await server.Client.StartAsync("echo", "hi")).DurableExecutionArn;

        Assert.Equal("HI", await server.Client.WaitForResultAsync<string>(arn).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(await server.InvocationErrorsAsync(arn));
    }

    [Fact]
    public async Task WorkerWithoutTheKey_FailsTheExecution_AsAnyCheckpointRefusal()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Uri? workerUrl = null;
        await using TestServer server = await TestServer.StartDurablyAsync(time, durably =>
            durably.AddRawFunction("echo", (input, client, cancellationToken) =>
                HttpFunction.CreateHandler(workerUrl!, TimeSpan.FromMinutes(1), time)(input, client, cancellationToken)),
            options => options.ApiKeys.Add(AdminKey));
        await using TestServer worker = await TestServer.StartAppAsync(app =>
            app.MapDurableFunction<string, string>("/echo", (input, context) => context.StepAsync((_, _) => Task.FromResult(input), "same"),
                options => options.ServerUrl = server.Address));
        workerUrl = new Uri(worker.Address, "echo");

        string arn = (await server.Client.StartAsync("echo", "hi")).DurableExecutionArn;
        await server.IdleAsync();

        // As on Lambda, a checkpoint refused with a 4xx (other than a stale token) is unrecoverable for the SDK.
        DurableExecutionDescription execution = await server.Engine.GetExecutionAsync(arn);
        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Contains("API key", execution.Error?.ErrorMessage, StringComparison.Ordinal);
    }
}
