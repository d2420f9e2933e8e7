using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Durably.Console.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Durably.Console.Tests;

/// <summary>The console's files as the server serves them: types, caching, security headers (no browser needed).</summary>
public sealed class ConsoleAssetTests : IAsyncLifetime, IDisposable
{
    private ConsoleTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ConsoleTestServer.StartAsync(apiKey: "asset-test-key-0123456789abcdef0123456");
        _client = new HttpClient { BaseAddress = _server.Address };
    }

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("", "text/html")]
    [InlineData("_console/app.css", "text/css")]
    [InlineData("_console/js/main.js", "text/javascript")]
    [InlineData("_console/js/views/timeline.js", "text/javascript")]
    public async Task Every_file_is_served_without_a_key_with_its_type_a_strict_policy_and_an_etag(string path, string mediaType)
    {
        using HttpResponseMessage response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        string policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("script-src 'self';", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.NotNull(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl?.NoCache);

        using var revalidation = new HttpRequestMessage(HttpMethod.Get, path);
        revalidation.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using HttpResponseMessage notModified = await _client.SendAsync(revalidation);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task The_page_has_no_inline_script_and_loads_its_module_from_the_server()
    {
        string html = await _client.GetStringAsync("");

        Assert.Matches(new Regex("""<script type="module" src="_console/js/main.js"></script>"""), html);
        Assert.DoesNotMatch(new Regex(@"<script(?![^>]*\bsrc=)[^>]*>"), html);
        Assert.DoesNotContain(" style=", html);
    }

    [Fact]
    public async Task An_unknown_file_is_404_and_data_still_needs_the_key()
    {
        using HttpResponseMessage missing = await _client.GetAsync("_console/js/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using HttpResponseMessage traversal = await _client.GetAsync("_console/..%2F..%2Fappsettings.json");
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);

        using HttpResponseMessage data = await _client.GetAsync("2015-03-31/functions/");
        Assert.Equal(HttpStatusCode.Unauthorized, data.StatusCode);
        using var authorized = new HttpRequestMessage(HttpMethod.Get, "2015-03-31/functions/");
        authorized.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "asset-test-key-0123456789abcdef0123456");
        using HttpResponseMessage allowed = await _client.SendAsync(authorized);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task An_application_that_maps_its_own_root_keeps_it()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDurably().UseInMemoryStore();
        await using WebApplication app = builder.Build();
        app.MapGet("/", () => Results.Text("the application's own home page"));
        app.MapDurably();
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        Assert.Equal("the application's own home page", await client.GetStringAsync("/"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/_console/js/main.js")).StatusCode);
        await app.StopAsync();
    }
}
