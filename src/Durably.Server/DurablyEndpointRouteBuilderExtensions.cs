using Durably;
using Durably.Engine;
using Durably.Server;
using Durably.Server.Routes;
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
    /// <exception cref="InvalidOperationException">An API key is shorter than <see cref="DurablyServerOptions.MinimumApiKeyLength"/>, or a scoped key has no scope.</exception>
    public static IEndpointConventionBuilder MapDurably(this IEndpointRouteBuilder endpoints, Action<DurablyServerOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        IServiceProvider services = endpoints.ServiceProvider;
        DurablyServerOptions options = services.GetRequiredService<IOptionsFactory<DurablyServerOptions>>().Create(Options.DefaultName);
        services.GetService<IConfiguration>()?.GetSection(DurablyServerOptions.ConfigurationSection).Bind(options);
        configure?.Invoke(options);

        var authenticator = new ApiKeyAuthenticator(options);
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
        RuntimeFunctionRegistrations registrations = services.GetRequiredService<RuntimeFunctionRegistrations>();
        var endpointPolicy = new FunctionEndpointPolicy(options.HttpFunctionHosts, authenticator.IsEnabled);

        // Saved registrations are loaded when the host starts, after this: they must pass today's rules, not those they were saved under.
        registrations.EndpointRule = endpointPolicy.RefusalOf;
        WebhookDeliverer deliverer = services.GetRequiredService<WebhookDeliverer>();
        deliverer.EndpointRule = endpointPolicy.RefusalOf;
        ILogger logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Durably.Server");
        var api = new DurablyApi(engine, registrations, services.GetRequiredService<DurablyOptions>(), options, authenticator, endpointPolicy, deliverer, logger);
        var health = new HealthRoute(engine, deliverer, authenticator, logger);
        RouteGroupBuilder group = endpoints.MapGroup("");
        group.Map(ApiRouter.DurablePrefix + "{**path}", api.HandleAsync);
        group.Map(ApiRouter.LambdaPrefix + "{**path}", api.HandleAsync);
        group.Map(ApiRouter.AdminPrefix + "{**path}", api.HandleAsync);
        endpoints.MapDurablyConsole();
        group.MapGet("/health", health.GetAsync);
        // Open like /health: the console's static shell asks it whether to ask for a key; it holds no data.
        group.MapGet(ApiRouter.AdminPrefix + "console-config", context => ApiResponses.WriteJsonAsync(context, new ConsoleConfig(authenticator.IsEnabled)));
        return group;
    }

    /// <summary>The answer of <c>GET /durably/console-config</c>.</summary>
    private sealed record ConsoleConfig(bool AuthRequired);
}
