using Durably.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Durably.Server.Tests;

/// <summary>Without an API key the server refuses to start on a non-loopback address. Nothing here binds anything but 127.0.0.1.</summary>
public sealed class StartupGuardTests
{
    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://+:0")]
    [InlineData("http://[::]:0")]
    [InlineData("http://127.0.0.1:0;http://0.0.0.0:0")]
    public async Task Start_NonLoopbackUrlsWithoutApiKey_ThrowsBeforeBinding_NamingTheAddressAndTheMissingKey(string urls)
    {
        await using WebApplication app = Build(builder => builder.WebHost.UseUrls(urls));

        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("not a loopback address", refused.Message, StringComparison.Ordinal);
        Assert.Contains("no API key is configured", refused.Message, StringComparison.Ordinal);
        Assert.Contains(urls.Split(';')[^1], refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NonLoopbackKestrelEndpointInConfiguration_Throws()
    {
        await using WebApplication app = Build(builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kestrel:Endpoints:Public:Url"] = "http://10.1.2.3:0" });
        });

        Assert.Contains("10.1.2.3", (await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ServerThatBindsANonLoopbackAddressWithoutApiKey_IsStopped()
    {
        await using WebApplication app = Build(builder => builder.Services.AddSingleton<IServer, AddressReportingServer>());
        IHostApplicationLifetime lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();

        await app.StartAsync();

        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
    }

    [Fact]
    public async Task Start_ServerThatBindsANonLoopbackAddressWithApiKey_Runs()
    {
        await using WebApplication app = Build(builder => builder.Services.AddSingleton<IServer, AddressReportingServer>(), options => options.ApiKeys.Add(new string('k', 32)));
        IHostApplicationLifetime lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();

        await app.StartAsync();

        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        await app.StopAsync();
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://127.8.9.1:5000", true)]
    [InlineData("https://localhost:5001", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://unix:/tmp/durably.sock", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://*:5000", false)]
    [InlineData("http://+:5000", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://192.168.1.10:5000", false)]
    [InlineData("http://example.com:80", false)]
    [InlineData("garbage", false)]
    public void IsLocal_ClassifiesAddresses(string address, bool local) => Assert.Equal(local, ListenAddressPolicy.IsLocal(address));

    [Fact]
    public void Enforce_WithApiKey_AllowsAnyAddress_WithoutOneRefusesIt()
    {
        Assert.Null(Record.Exception(() => ListenAddressPolicy.Enforce(["http://0.0.0.0:80"], hasApiKey: true)));
        Assert.Throws<InvalidOperationException>(() => ListenAddressPolicy.Enforce(["http://0.0.0.0:80"], hasApiKey: false));
    }

    private static WebApplication Build(Action<WebApplicationBuilder> configure, Action<DurablyServerOptions>? server = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configure(builder);
        builder.Services.AddDurably().UseInMemoryStore();
        WebApplication app = builder.Build();
        app.MapDurably(server);
        return app;
    }

    /// <summary>Reports a non-loopback address once started, as Kestrel does for endpoints configured in code; binds nothing.</summary>
    private sealed class AddressReportingServer : IServer
    {
        private readonly ServerAddressesFeature _addresses = new();

        public AddressReportingServer() => Features.Set<IServerAddressesFeature>(_addresses);

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull
        {
            _addresses.Addresses.Add("http://0.0.0.0:8080");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }

        private sealed class ServerAddressesFeature : IServerAddressesFeature
        {
            public ICollection<string> Addresses { get; } = [];

            public bool PreferHostingUrls { get; set; }
        }
    }
}
