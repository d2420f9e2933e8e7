using Microsoft.Extensions.DependencyInjection;

namespace Durably;

/// <summary>REST API settings on <see cref="IDurablyBuilder"/>.</summary>
public static class DurablyServerBuilderExtensions
{
    /// <summary>Configures the REST API that <c>MapDurably()</c> maps (API keys, synchronous invoke timeout).</summary>
    public static IDurablyBuilder ConfigureServer(this IDurablyBuilder builder, Action<DurablyServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }
}
