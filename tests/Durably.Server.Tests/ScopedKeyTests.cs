using System.Net;
using Durably.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Durably.Server.Tests;

/// <summary>Keys limited to a scope reach only that scope's routes; admin keys reach all; short keys stop the server at startup.</summary>
public sealed class ScopedKeyTests : IAsyncLifetime
{
    private const string AdminKey = "admin-key-0123456789-0123456789-01";
    private const string InvokeKey = "invoke-key-0123456789-0123456789-0";
    private const string WorkerKey = "worker-key-0123456789-0123456789-0";
    private const string CallbackKey = "callback-key-0123456789-0123456789";

    private DurablyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(), options =>
    {
        options.ApiKeys.Add(AdminKey);
        options.HttpFunctionHosts.Add("127.0.0.1");
        options.ScopedApiKeys.Add(new DurablyApiKey { Key = InvokeKey, Scopes = { DurablyApiScope.Invoke } });
        options.ScopedApiKeys.Add(new DurablyApiKey { Key = WorkerKey, Scopes = { DurablyApiScope.DataPlane } });
        options.ScopedApiKeys.Add(new DurablyApiKey { Key = CallbackKey, Scopes = { DurablyApiScope.Callbacks } });
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task EachScopedKey_ReachesItsRoutes_AndIsRefusedOthersWith403NamingTheScope()
    {
        string arn = await StartAsync("approval");
        string callbackId = await _server.CallbackIdAsync(arn);
        string other = await StartAsync("sleeper");

        // Invoke: invoke and read; not the data plane, callbacks, stop or registrations.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(InvokeKey, HttpMethod.Get, ApiRequests.Execution(arn, "/history"))).StatusCode);
        await AssertRefusedAsync(InvokeKey, HttpMethod.Get, ApiRequests.Execution(arn, "/state?CheckpointToken=x"), "DataPlane");
        await AssertRefusedAsync(InvokeKey, HttpMethod.Post, ApiRequests.Callback(callbackId, "heartbeat"), "Callbacks");
        await AssertRefusedAsync(InvokeKey, HttpMethod.Post, ApiRequests.Execution(other, "/stop"), "Admin");
        await AssertRefusedAsync(InvokeKey, HttpMethod.Post, "durably/functions", "Admin", """{"FunctionName":"f","Url":"http://127.0.0.1:1/"}""");

        // DataPlane: a worker's checkpoints and state reads only (a wrong token is the engine's 400, past the scope check).
        await ApiAssert.ErrorAsync(await SendAsync(WorkerKey, HttpMethod.Get, ApiRequests.Execution(arn, "/state?CheckpointToken=x")),
            HttpStatusCode.BadRequest, "InvalidParameterValueException");
        await AssertRefusedAsync(WorkerKey, HttpMethod.Post, "2015-03-31/functions/echo/invocations", "Invoke", "\"x\"");
        await AssertRefusedAsync(WorkerKey, HttpMethod.Get, ApiRequests.Execution(arn), "Invoke");

        // Callbacks: answering callbacks only.
        await AssertRefusedAsync(CallbackKey, HttpMethod.Get, ApiRequests.Execution(arn), "Invoke");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(CallbackKey, HttpMethod.Post, ApiRequests.Callback(callbackId, "succeed"), "\"yes\"")).StatusCode);

        // Admin: everything.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(AdminKey, HttpMethod.Post, ApiRequests.Execution(other, "/stop"), "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(AdminKey, HttpMethod.Post, "durably/functions", """{"FunctionName":"f","Url":"http://127.0.0.1:1/"}""")).StatusCode);
        Assert.Equal("\"yes\"", (await _server.Engine.WaitForCompletionAsync(arn).WaitAsync(TimeSpan.FromSeconds(10))).Result);
    }

    [Fact]
    public async Task TheConsolesReadRoutes_NeedTheInvokeScope_NotAdmin()
    {
        // The console reads counts, function details and the live stream with a read (Invoke) key.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(InvokeKey, HttpMethod.Get, "durably/functions/echo/counts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(InvokeKey, HttpMethod.Get, "durably/functions")).StatusCode);
        using (HttpResponseMessage stream = await SendHeadersAsync(InvokeKey, "durably/stream"))
        {
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        }

        await AssertRefusedAsync(WorkerKey, HttpMethod.Get, "durably/functions/echo/counts", "Invoke");
        await AssertRefusedAsync(CallbackKey, HttpMethod.Get, "durably/functions", "Invoke");
        await AssertRefusedAsync(WorkerKey, HttpMethod.Get, "durably/stream", "Invoke");
    }

    [Fact]
    public async Task AKeyWithSeveralScopes_HoldsEach()
    {
        const string both = "both-key-0123456789-0123456789-0123";
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(),
            host: builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Durably:Server:ScopedApiKeys:0:Key"] = both,
                ["Durably:Server:ScopedApiKeys:0:Scopes:0"] = "Invoke",
                ["Durably:Server:ScopedApiKeys:0:Scopes:1"] = "callbacks",
            }));
        server.Client.DefaultRequestHeaders.Add("X-Api-Key", both);

        string arn = await server.Client.StartAsync("approval", "\"x\"");
        string callbackId = await server.CallbackIdAsync(arn);
        using HttpResponseMessage answered = await server.Client.PostAsync(ApiRequests.Callback(callbackId, "succeed"), ApiRequests.Raw("\"ok\""));
        using HttpResponseMessage stop = await server.Client.PostAsync(ApiRequests.Execution(arn, "/stop"), ApiRequests.Raw("{}"));

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains("needs the Admin scope", await ApiAssert.ErrorAsync(stop, HttpStatusCode.Forbidden, "AccessDeniedException"), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadKeys => new()
    {
        { "Durably:Server:ApiKeys:0", "short-key", "Durably:Server:ApiKeys:0 is 9 characters long" },
        { "Durably:Server:ApiKeys:0", "", "Durably:Server:ApiKeys:0 is 0 characters long" },
        { "Durably:Server:ScopedApiKeys:0:Key", new string('k', 31), "Durably:Server:ScopedApiKeys:0:Key is 31 characters long" },
        { "Durably:Server:ScopedApiKeys:0:Key", new string('k', 32), "Durably:Server:ScopedApiKeys:0 has no scopes" },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void AShortKey_OrAKeyWithoutScopes_StopsTheServerAtStartup(string setting, string key, string message)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [setting] = key });
        builder.Services.AddDurably().UseInMemoryStore();
        using WebApplication app = builder.Build();

        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => app.MapDurably());

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.Contains("Durably refuses to start", refused.Message, StringComparison.Ordinal);
        if (key.Length > 0)
        {
            Assert.DoesNotContain(key, refused.Message, StringComparison.Ordinal);
        }
    }

    private async Task<string> StartAsync(string function)
    {
        using HttpResponseMessage response = await SendAsync(InvokeKey, HttpMethod.Post, $"2015-03-31/functions/{function}/invocations", "\"x\"", invocationType: "Event");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return ApiAssert.Header(response, "X-Amz-Durable-Execution-Arn");
    }

    private async Task AssertRefusedAsync(string key, HttpMethod method, string path, string neededScope, string? body = null)
    {
        using HttpResponseMessage response = await SendAsync(key, method, path, body);
        string message = await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "AccessDeniedException");
        Assert.Contains($"needs the {neededScope} scope", message, StringComparison.Ordinal);
    }

    /// <summary>Sends a GET and returns once the headers arrived: the stream's body never ends by itself.</summary>
    private async Task<HttpResponseMessage> SendHeadersAsync(string key, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", key);
        return await _server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private async Task<HttpResponseMessage> SendAsync(string key, HttpMethod method, string path, string? body = null, string? invocationType = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : ApiRequests.Raw(body) };
        request.Headers.Add("X-Api-Key", key);
        if (invocationType is not null)
        {
            request.Headers.Add("X-Amz-Invocation-Type", invocationType);
        }

        return await _server.Client.SendAsync(request);
    }
}
