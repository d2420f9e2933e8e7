using System.Net;
using System.Net.Http.Json;
using Durably.Protocol;
using Durably.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Worker.Tests;

/// <summary>
/// HTTP function versions work as in-process ones: a running execution stays on the version it started with,
/// new ones get the most recently registered. Here the versions are registered at run time (POST /durably/functions)
/// and served by a MapDurableFunction worker.
/// </summary>
public sealed class HttpFunctionVersionTests
{
    [Fact]
    public async Task RunningExecution_StaysOnItsVersion_WhenANewerVersionIsRegistered()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using TestServer server = await TestServer.StartDurablyAsync(time, _ => { });
        await using TestServer worker = await TestServer.StartAppAsync(app =>
        {
            app.MapDurableFunction<string, string>("/v1", (input, context) => GreetAsync("v1", input, context), options => options.ServerUrl = server.Address);
            app.MapDurableFunction<string, string>("/v2", (input, context) => GreetAsync("v2", input, context), options => options.ServerUrl = server.Address);
        });
        using var http = new HttpClient { BaseAddress = server.Address };

        await RegisterAsync(http, new Uri(worker.Address, "v1"), "1");
        string first = (await server.Client.StartAsync("greeter", "ann")).DurableExecutionArn;
        string firstCallback = await server.CallbackIdAsync(first);
        await RegisterAsync(http, new Uri(worker.Address, "v2"), "2");
        string second = (await server.Client.StartAsync("greeter", "bob")).DurableExecutionArn;
        string secondCallback = await server.CallbackIdAsync(second);
        await server.Client.SendCallbackSuccessAsync(firstCallback, "hello");
        await server.Client.SendCallbackSuccessAsync(secondCallback, "hi");

        Assert.Equal("v1: hello ann", await server.Client.WaitForResultAsync<string>(first).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("v2: hi bob", await server.Client.WaitForResultAsync<string>(second).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains(":greeter:1/", first, StringComparison.Ordinal);
        Assert.Contains(":greeter:2/", second, StringComparison.Ordinal);
    }

    private static async Task<string> GreetAsync(string version, string name, IDurableContext context)
    {
        string greeting = await context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "greeting");
        return $"{version}: {greeting} {name}";
    }

    private static async Task RegisterAsync(HttpClient http, Uri url, string version)
    {
        using HttpResponseMessage response = await http.PostAsJsonAsync("durably/functions", new { FunctionName = "greeter", Url = url.AbsoluteUri, Version = version }, DurablyJson.Api);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
