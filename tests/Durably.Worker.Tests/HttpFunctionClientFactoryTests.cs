using Durably.Engine;
using Durably.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Worker.Tests;

/// <summary>HTTP functions POST with the IHttpClientFactory client named <see cref="HttpFunction.HttpClientName"/>, which users configure.</summary>
public sealed class HttpFunctionClientFactoryTests
{
    private const string StampHeader = "X-Durably-Test-Stamp";

    [Fact]
    public async Task AddedFunction_PostsThroughTheNamedClientsHandlers()
    {
        var stamps = new List<string?>();
        await using TestServer worker = await StartWorkerAsync(stamps);
        await using TestServer server = await TestServer.StartDurablyAsync(new FakeTimeProvider(DateTimeOffset.UnixEpoch), durably =>
        {
            durably.AddHttpFunction("fn", new Uri(worker.Address, "fn"));
            StampRequests(durably.Services);
        });

        await RunAsync(server, "fn");

        Assert.Equal(["stamped"], stamps);
    }

    [Fact]
    public async Task FunctionRegisteredAtRunTime_PostsThroughTheNamedClientsHandlers()
    {
        var stamps = new List<string?>();
        await using TestServer worker = await StartWorkerAsync(stamps);
        await using TestServer server = await TestServer.StartDurablyAsync(new FakeTimeProvider(DateTimeOffset.UnixEpoch), durably => StampRequests(durably.Services));
        await server.Services.GetRequiredService<RuntimeFunctionRegistrations>().RegisterAsync(
            new HttpFunctionRegistration("late", "1", new Uri(worker.Address, "fn"), TimeSpan.FromHours(1), 1, TimeSpan.FromMinutes(1)));

        await RunAsync(server, "late");

        Assert.Equal(["stamped"], stamps);
    }

    private static Task<TestServer> StartWorkerAsync(List<string?> stamps) => TestServer.StartAppAsync(app => app.MapPost("/fn", async context =>
    {
        lock (stamps)
        {
            stamps.Add(context.Request.Headers[StampHeader]);
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"Status":"SUCCEEDED","Result":"\"done\""}""");
    }));

    private static void StampRequests(IServiceCollection services) =>
        services.AddHttpClient(HttpFunction.HttpClientName).AddHttpMessageHandler(() => new StampingHandler());

    private static async Task RunAsync(TestServer server, string function)
    {
        string arn = (await server.Client.StartAsync(function, "in")).DurableExecutionArn;
        Assert.Equal("done", await server.Client.WaitForResultAsync<string>(arn).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private sealed class StampingHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add(StampHeader, "stamped");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
