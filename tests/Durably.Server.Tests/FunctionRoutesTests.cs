using System.Net;
using System.Text.Json;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

public sealed class FunctionRoutesTests : IAsyncLifetime
{
    private DurablyTestServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ListFunctions_OneEntryPerFunction_AtItsLatestVersion()
    {
        JsonElement page = await ApiAssert.JsonAsync(await Client.GetAsync("2015-03-31/functions/"));

        JsonElement[] functions = [.. page.GetProperty("Functions").EnumerateArray()];
        Assert.Equal(["approval", "echo", "fails", "sleeper", "versioned"], functions.Select(f => f.GetProperty("FunctionName").GetString()!));
        JsonElement versioned = functions[^1];
        Assert.Equal("2", versioned.GetProperty("Version").GetString());
        Assert.Equal("arn:aws:lambda:local:000000000000:function:versioned:2", versioned.GetProperty("FunctionArn").GetString());
        Assert.Equal(30, versioned.GetProperty("DurableConfig").GetProperty("RetentionPeriodInDays").GetInt32());
        Assert.Equal(604_800, functions[3].GetProperty("DurableConfig").GetProperty("ExecutionTimeout").GetInt32());
        Assert.False(page.TryGetProperty("NextMarker", out _));
    }

    [Fact]
    public async Task ListFunctions_AllVersions_AndPaging()
    {
        JsonElement first = await ApiAssert.JsonAsync(await Client.GetAsync("2015-03-31/functions?FunctionVersion=ALL&MaxItems=4"));
        JsonElement rest = await ApiAssert.JsonAsync(await Client.GetAsync($"2015-03-31/functions?FunctionVersion=ALL&MaxItems=4&Marker={first.GetProperty("NextMarker").GetString()}"));

        string[] listed = [.. first.GetProperty("Functions").EnumerateArray().Concat(rest.GetProperty("Functions").EnumerateArray())
            .Select(f => $"{f.GetProperty("FunctionName").GetString()}:{f.GetProperty("Version").GetString()}")];
        Assert.Equal(["approval:1", "echo:1", "fails:1", "sleeper:1", "versioned:1", "versioned:2"], listed);
        Assert.False(rest.TryGetProperty("NextMarker", out _));
    }

    [Theory]
    [InlineData("2015-03-31/functions?FunctionVersion=LATEST")]
    [InlineData("2015-03-31/functions?MaxItems=0")]
    [InlineData("2015-03-31/functions?Marker=x")]
    [InlineData("2015-03-31/functions?Marker=99")]
    [InlineData("2015-03-31/functions/versioned:1/versions")]
    [InlineData("2015-03-31/functions/bad%20name/versions")]
    public async Task FunctionListings_BadInput_Is400(string path)
    {
        await ApiAssert.ErrorAsync(await Client.GetAsync(path), HttpStatusCode.BadRequest, "InvalidParameterValueException");
    }

    [Fact]
    public async Task ListVersionsByFunction_ListsEveryRegisteredVersion()
    {
        JsonElement page = await ApiAssert.JsonAsync(await Client.GetAsync("2015-03-31/functions/versioned/versions"));

        Assert.Equal(["1", "2"], page.GetProperty("Versions").EnumerateArray().Select(v => v.GetProperty("Version").GetString()!));
        Assert.Equal("arn:aws:lambda:local:000000000000:function:versioned:1", page.GetProperty("Versions")[0].GetProperty("FunctionArn").GetString());
    }

    [Fact]
    public async Task ListVersionsByFunction_UnknownFunction_Is404()
    {
        await ApiAssert.ErrorAsync(await Client.GetAsync("2015-03-31/functions/missing/versions"), HttpStatusCode.NotFound, "ResourceNotFoundException", "Message");
    }

    [Fact]
    public async Task Health_Answers200WithAStatus()
    {
        JsonElement health = await ApiAssert.JsonAsync(await Client.GetAsync("health"));

        Assert.Equal("Healthy", health.GetProperty("Status").GetString());
        Assert.Equal(5, health.GetProperty("Functions").GetInt32());
    }

    [Theory]
    [InlineData("GET", "2025-12-01/nothing-here")]
    [InlineData("GET", "2015-03-31/functions/echo/unknown")]
    [InlineData("POST", "2025-12-01/durable-execution-callbacks/abc/explode")]
    [InlineData("GET", "2025-12-01/functions/echo")]
    public async Task UnknownRoute_Is404UnknownOperation(string method, string path)
    {
        await ApiAssert.ErrorAsync(await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), HttpStatusCode.NotFound, "UnknownOperationException");
    }

    [Theory]
    [InlineData("DELETE", "2025-12-01/durable-executions/x", "GET")]
    [InlineData("GET", "2025-12-01/durable-executions/x/stop", "POST")]
    [InlineData("POST", "2025-12-01/durable-executions/x/history", "GET")]
    [InlineData("GET", "2015-03-31/functions/echo/invocations", "POST")]
    [InlineData("PUT", "2025-12-01/durable-execution-callbacks/abc/succeed", "POST")]
    public async Task WrongMethod_Is405WithAllow(string method, string path, string allowed)
    {
        using HttpResponseMessage response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UnknownOperationException");
        Assert.Equal([allowed], response.Content.Headers.Allow);
    }
}
