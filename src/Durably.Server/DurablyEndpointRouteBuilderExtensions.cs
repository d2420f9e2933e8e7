using Durably;
using Durably.Engine;
using Durably.Server;
using Durably.Server.Routing;
using Durably.Server.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Durably's REST API.</summary>
public static class DurablyEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the Lambda-compatible REST API of PROTOCOL.md §2 (under <c>/2015-03-31/</c> and <c>/2025-12-01/</c>),
    /// Durably's HTTP function registration (under <c>/durably/</c>), <c>GET /health</c> and the web console at <c>/</c>
    /// (<see cref="DurablyConsoleEndpointRouteBuilderExtensions.MapDurablyConsole"/>). Without API keys the application refuses to start on a non-loopback address.
    /// </summary>
    public static IEndpointConventionBuilder MapDurably(this IEndpointRouteBuilder endpoints) => endpoints.MapDurably(configure: null);

    /// <summary>
    /// Maps the REST API with <paramref name="configure"/> applied after <c>ConfigureServer</c> and the
    /// <c>Durably:Server</c> configuration section.
    /// </summary>
    public static IEndpointConventionBuilder MapDurably(this IEndpointRouteBuilder endpoints, Action<DurablyServerOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        IServiceProvider services = endpoints.ServiceProvider;
        DurablyServerOptions options = services.GetRequiredService<IOptionsFactory<DurablyServerOptions>>().Create(Options.DefaultName);
        services.GetService<IConfiguration>()?.GetSection(DurablyServerOptions.ConfigurationSection).Bind(options);
        configure?.Invoke(options);

        var authenticator = new ApiKeyAuthenticator(options.ApiKeys);
        var guard = new ListenGuard(services, authenticator.IsEnabled);
        if (endpoints is IApplicationBuilder application)
        {
            // Runs when the host builds the request pipeline: after the configured URLs are known, before Kestrel binds them.
            application.Use(next =>
            {
                guard.EnforceConfiguredAddresses();
                return next;
            });
        }

        guard.EnforceBoundAddressesOnStart();

        DurableEngine engine = services.GetRequiredService<DurableEngine>();
        var api = new DurablyApi(engine, services.GetRequiredService<RuntimeFunctionRegistrations>(), services.GetRequiredService<DurablyOptions>(), options, authenticator,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Durably.Server"));
        RouteGroupBuilder group = endpoints.MapGroup("");
        group.Map(ApiRouter.DurablePrefix + "{**path}", api.HandleAsync);
        group.Map(ApiRouter.LambdaPrefix + "{**path}", api.HandleAsync);
        group.Map(ApiRouter.AdminPrefix + "{**path}", api.HandleAsync);
        endpoints.MapDurablyConsole();
        group.MapGet("/health", context => ApiResponses.WriteJsonAsync(context, new HealthStatus("Healthy", engine.Functions.GetAll().Select(function => function.Name).Distinct().Count())));
        // Open like /health: the console's static shell asks it whether to ask for a key; it holds no data.
        group.MapGet(ApiRouter.AdminPrefix + "console-config", context => ApiResponses.WriteJsonAsync(context, new ConsoleConfig(authenticator.IsEnabled)));
        return group;
    }

    /// <summary>The answer of <c>GET /durably/console-config</c>.</summary>
    private sealed record ConsoleConfig(bool AuthRequired);

    /// <summary>The answer of <c>GET /health</c>.</summary>
    private sealed record HealthStatus(string Status, int Functions);
}
