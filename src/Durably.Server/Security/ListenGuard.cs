using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Durably.Server.Security;

/// <summary>
/// Refuses to start a server without API keys on a non-loopback address: before Kestrel binds, from the
/// configured addresses (<c>urls</c>, <c>http_ports</c>, <c>Kestrel:Endpoints</c>, <c>app.Urls</c>, <c>app.Run(url)</c>)
/// by throwing out of the application's start; after it binds, from the bound addresses (endpoints
/// configured in code with <c>Listen</c>) by stopping the application.
/// </summary>
internal sealed class ListenGuard(IServiceProvider services, bool hasApiKey)
{
    /// <summary>Checks the addresses known before binding; throws <see cref="InvalidOperationException"/>.</summary>
    public void EnforceConfiguredAddresses()
    {
        var addresses = new List<string>(ServerAddresses());
        IConfiguration? configuration = services.GetService<IConfiguration>();
        if (configuration is not null)
        {
            if (addresses.Count == 0)
            {
                addresses.AddRange(HostingAddresses(configuration));
            }

            addresses.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren()
                .Select(endpoint => endpoint["Url"]).OfType<string>());
        }

        ListenAddressPolicy.Enforce(addresses, hasApiKey);
    }

    /// <summary>Once the server listens, checks the bound addresses; stops the application on a violation.</summary>
    public void EnforceBoundAddressesOnStart()
    {
        IHostApplicationLifetime? lifetime = services.GetService<IHostApplicationLifetime>();
        lifetime?.ApplicationStarted.Register(() =>
        {
            try
            {
                ListenAddressPolicy.Enforce(ServerAddresses(), hasApiKey);
            }
            catch (InvalidOperationException refused)
            {
                services.GetRequiredService<ILoggerFactory>().CreateLogger("Durably.Server").ListenAddressRefused(refused.Message);
                lifetime.StopApplication();
            }
        });
    }

    private IEnumerable<string> ServerAddresses() =>
        services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];

    /// <summary>
    /// The addresses the host takes from configuration when none were set in code, with its precedence: <c>urls</c>, and only
    /// without them <c>http_ports</c> / <c>https_ports</c> (.NET container images set <c>ASPNETCORE_HTTP_PORTS=8080</c>,
    /// which an explicit <c>ASPNETCORE_URLS</c> overrides).
    /// </summary>
    private static IEnumerable<string> HostingAddresses(IConfiguration configuration)
    {
        string[] urls = Split(configuration["urls"]);
        return urls.Length > 0
            ? urls
            : Split(configuration["http_ports"]).Select(port => $"http://*:{port}").Concat(Split(configuration["https_ports"]).Select(port => $"https://*:{port}"));
    }

    private static string[] Split(string? value) =>
        value?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
