using Microsoft.Extensions.DependencyInjection;

namespace Durably;

/// <summary>Configures Durably in a service collection: the store and the functions.</summary>
public interface IDurablyBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}
