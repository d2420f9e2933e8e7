using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Durably.Server.Tests;

/// <summary>The loopback guard reads the configured addresses with Kestrel's precedence. Nothing here binds anything but 127.0.0.1.</summary>
public sealed class ListenGuardTests
{
    /// <summary>.NET container images set <c>ASPNETCORE_HTTP_PORTS=8080</c>; explicit URLs override it, as Kestrel does.</summary>
    [Fact]
    public async Task HttpPorts_AreIgnored_WhenUrlsAreGiven_AsInADotNetContainerImage()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["http_ports"] = "8080", ["https_ports"] = "8443" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddDurably().UseInMemoryStore();
        await using WebApplication app = builder.Build();
        app.MapDurably();

        await app.StartAsync();

        string address = Assert.Single(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses);
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health")).StatusCode);
        await app.StopAsync();
    }
}
