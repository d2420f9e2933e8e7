using System.Net;
using System.Text.Json;
using Durably.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Server.Tests;

public sealed class ConsoleRoutesTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private DurablyTestServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions()
        .AddFunction<string, string>("retrier", (_, context) => context.StepAsync<string>(
            (_, _) => throw new InvalidOperationException("not yet"), "flaky",
            new StepConfig { RetryStrategy = RetryStrategy.FromDelegate((_, _) => RetryDecision.RetryAfter(TimeSpan.FromHours(1))) }))
        .AddFunction<string, string>("invoker", (input, context) => context.InvokeAsync<string, string>("sleeper", input, "nap-call"))
        .AddHttpFunction("coded-remote", new Uri("http://127.0.0.1:9/coded")), time: _time);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Counts_PerStatusAndVersion_WithEveryStatusKey()
    {
        await CompleteAsync("echo", "\"a\"");
        await CompleteAsync("echo", "\"b\"");
        await CompleteAsync("versioned:2", "\"c\"");
        await _server.Client.StartAsync("approval", "\"x\"");
        await _server.IdleAsync();

        JsonElement echo = await GetJsonAsync("durably/functions/echo/counts");
        Assert.Equal("echo", echo.GetProperty("FunctionName").GetString());
        Assert.Equal("""{"RUNNING":0,"SUCCEEDED":2,"FAILED":0,"TIMED_OUT":0,"STOPPED":0}""", echo.GetProperty("Counts").GetRawText());
        JsonElement version = Assert.Single(echo.GetProperty("Versions").EnumerateArray());
        Assert.Equal("1", version.GetProperty("Version").GetString());
        Assert.True(version.GetProperty("Hosted").GetBoolean());
        Assert.Equal(2, version.GetProperty("Counts").GetProperty("SUCCEEDED").GetInt64());

        JsonElement versioned = await GetJsonAsync("durably/functions/versioned/counts");
        Assert.Equal(["1", "2"], versioned.GetProperty("Versions").EnumerateArray().Select(v => v.GetProperty("Version").GetString()));
        Assert.Equal(1, versioned.GetProperty("Counts").GetProperty("SUCCEEDED").GetInt64());
        JsonElement onlyTwo = await GetJsonAsync("durably/functions/versioned/counts?Qualifier=2");
        Assert.Equal(1, Assert.Single(onlyTwo.GetProperty("Versions").EnumerateArray()).GetProperty("Counts").GetProperty("SUCCEEDED").GetInt64());
        Assert.Equal(1, (await GetJsonAsync("durably/functions/approval/counts")).GetProperty("Counts").GetProperty("RUNNING").GetInt64());
    }

    [Fact]
    public async Task Counts_VersionWithoutHandler_IsNotHosted()
    {
        using HttpResponseMessage registered = await Client.PostRawAsync("durably/functions", """{"FunctionName":"remote","Url":"http://127.0.0.1:9/never"}""");
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        await Client.StartAsync("remote", "\"x\"");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("durably/functions/remote")).StatusCode);

        JsonElement counts = await GetJsonAsync("durably/functions/remote/counts");

        JsonElement version = Assert.Single(counts.GetProperty("Versions").EnumerateArray());
        Assert.False(version.GetProperty("Hosted").GetBoolean());
        Assert.Equal(1, version.GetProperty("Counts").GetProperty("RUNNING").GetInt64());
    }

    [Theory]
    [InlineData("durably/functions/nobody/counts", HttpStatusCode.NotFound, "ResourceNotFoundException")]
    [InlineData("durably/functions/bad%20name/counts", HttpStatusCode.BadRequest, "InvalidParameterValueException")]
    [InlineData("2025-12-01/functions/echo/durable-executions?DurableExecutionNamePrefix=bad%20prefix", HttpStatusCode.BadRequest, "InvalidParameterValueException")]
    public async Task BadRequests_AreClearErrors(string path, HttpStatusCode status, string error)
    {
        await ApiAssert.ErrorAsync(await Client.GetAsync(path), status, error, status == HttpStatusCode.NotFound ? "Message" : "message");
    }

    [Fact]
    public async Task FunctionDetails_ListEveryVersion_WithItsKindAndConfiguration()
    {
        using HttpResponseMessage registered = await Client.PostRawAsync("durably/functions", """{"FunctionName":"remote","Url":"http://127.0.0.1:9/run","Version":"7","InvocationTimeout":30}""");
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        JsonElement[] functions = [.. (await GetJsonAsync("durably/functions")).GetProperty("Functions").EnumerateArray()];

        JsonElement echo = functions.Single(f => f.GetProperty("FunctionName").GetString() == "echo");
        Assert.Equal("Code", echo.GetProperty("Kind").GetString());
        Assert.False(echo.TryGetProperty("Url", out _));
        JsonElement v2 = functions.Single(f => f.GetProperty("FunctionName").GetString() == "versioned" && f.GetProperty("Version").GetString() == "2");
        Assert.Equal(30, v2.GetProperty("RetentionPeriodInDays").GetInt32());
        Assert.Equal(604_800, functions.Single(f => f.GetProperty("FunctionName").GetString() == "sleeper").GetProperty("ExecutionTimeout").GetInt32());
        JsonElement remote = functions.Single(f => f.GetProperty("FunctionName").GetString() == "remote");
        Assert.Equal("Http", remote.GetProperty("Kind").GetString());
        Assert.Equal("http://127.0.0.1:9/run", remote.GetProperty("Url").GetString());
        Assert.Equal(30, remote.GetProperty("InvocationTimeout").GetInt32());
        Assert.Equal("7", remote.GetProperty("Version").GetString());
        JsonElement coded = functions.Single(f => f.GetProperty("FunctionName").GetString() == "coded-remote");
        Assert.Equal(("Http", "http://127.0.0.1:9/coded"), (coded.GetProperty("Kind").GetString(), coded.GetProperty("Url").GetString()));
    }

    [Fact]
    public async Task AdminFunctions_OtherMethods_Are405()
    {
        using HttpResponseMessage put = await Client.PutAsync("durably/functions", new StringContent("{}"));
        await ApiAssert.ErrorAsync(put, HttpStatusCode.MethodNotAllowed, "UnknownOperationException");
        Assert.Equal(["POST"], put.Content.Headers.Allow);
        using HttpResponseMessage postCounts = await Client.PostRawAsync("durably/functions/echo/counts", "{}");
        await ApiAssert.ErrorAsync(postCounts, HttpStatusCode.MethodNotAllowed, "UnknownOperationException");
    }

    [Fact]
    public async Task List_ByNamePrefix_MatchesOnlyThoseNames()
    {
        foreach (string name in (string[])["order-1", "order-2", "orders", "other"])
        {
            await Client.StartAsync("echo", "\"x\"", name);
        }

        JsonElement page = await GetJsonAsync("2025-12-01/functions/echo/durable-executions?DurableExecutionNamePrefix=order-");

        Assert.Equal(["order-1", "order-2"], page.GetProperty("DurableExecutions").EnumerateArray().Select(e => e.GetProperty("DurableExecutionName").GetString()).Order());
    }

    [Fact]
    public async Task List_IncludeWaitingOn_DescribesEachOpenOperation()
    {
        string approval = await Client.StartAsync("approval", "\"x\"");
        string sleeper = await Client.StartAsync("sleeper", "\"x\"");
        string retrier = await Client.StartAsync("retrier", "\"x\"");
        string invoker = await Client.StartAsync("invoker", "\"x\"");
        string callbackId = await _server.CallbackIdAsync(approval);
        await _server.IdleAsync();

        JsonElement callback = Assert.Single((await WaitingOnAsync("approval", approval)).EnumerateArray());
        Assert.Equal("CALLBACK", callback.GetProperty("Type").GetString());
        Assert.Equal(callbackId, callback.GetProperty("CallbackId").GetString());
        Assert.Equal("approval", callback.GetProperty("Name").GetString());
        JsonElement wait = Assert.Single((await WaitingOnAsync("sleeper", sleeper)).EnumerateArray());
        Assert.Equal("WAIT", wait.GetProperty("Type").GetString());
        Assert.Equal(Seconds(_time.GetUtcNow().AddDays(1)), wait.GetProperty("Until").GetDouble());
        JsonElement retry = Assert.Single((await WaitingOnAsync("retrier", retrier)).EnumerateArray());
        Assert.Equal("RETRY", retry.GetProperty("Type").GetString());
        Assert.Equal(2, retry.GetProperty("Attempt").GetInt32());
        Assert.Equal(Seconds(_time.GetUtcNow().AddHours(1)), retry.GetProperty("Until").GetDouble());
        JsonElement invoke = Assert.Single((await WaitingOnAsync("invoker", invoker)).EnumerateArray());
        Assert.Equal("CHAINED_INVOKE", invoke.GetProperty("Type").GetString());
        Assert.Equal("nap-call", invoke.GetProperty("Name").GetString());
    }

    [Fact]
    public async Task List_WithoutIncludeWaitingOn_HasNoWaitingOn_AndClosedItemsNeverHaveIt()
    {
        await Client.StartAsync("approval", "\"x\"");
        await CompleteAsync("echo", "\"y\"");
        await _server.IdleAsync();

        string plain = await Client.GetStringAsync("2025-12-01/functions/approval/durable-executions");
        string closed = await Client.GetStringAsync("2025-12-01/functions/echo/durable-executions?IncludeWaitingOn=true");

        Assert.DoesNotContain("WaitingOn", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("WaitingOn", closed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleConfig_IsOpen_AndSaysWhetherAKeyIsNeeded()
    {
        await using DurablyTestServer keyed = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(), options => options.ApiKeys.Add("console-key-0123456789-0123456789"));

        Assert.Equal("""{"AuthRequired":true}""", await keyed.Client.GetStringAsync("durably/console-config"));
        Assert.Equal("""{"AuthRequired":false}""", await Client.GetStringAsync("durably/console-config"));
        await ApiAssert.ErrorAsync(await keyed.Client.GetAsync("durably/functions"), HttpStatusCode.Unauthorized, "UnrecognizedClientException");
        await ApiAssert.ErrorAsync(await keyed.Client.GetAsync("durably/functions/echo/counts"), HttpStatusCode.Unauthorized, "UnrecognizedClientException");
    }

    private async Task<JsonElement> WaitingOnAsync(string function, string arn) => Assert.Single(
        (await GetJsonAsync($"2025-12-01/functions/{function}/durable-executions?IncludeWaitingOn=true")).GetProperty("DurableExecutions").EnumerateArray(),
        e => e.GetProperty("DurableExecutionArn").GetString() == arn).GetProperty("WaitingOn");

    private async Task CompleteAsync(string function, string payload) =>
        await _server.Engine.WaitForCompletionAsync(await Client.StartAsync(function, payload)).WaitAsync(TimeSpan.FromSeconds(10));

    private async Task<JsonElement> GetJsonAsync(string path) => await ApiAssert.JsonAsync(await Client.GetAsync(path));

    private static double Seconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;
}
