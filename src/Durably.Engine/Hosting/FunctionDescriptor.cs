using Durably.Engine;
using Microsoft.Extensions.Logging;

namespace Durably;

/// <summary>
/// A function registered in DI; the engine's <see cref="FunctionRegistry"/> is built from all of them,
/// in registration order. The handler factory receives the engine's logger factory and time.
/// </summary>
/// <param name="Name">The function name.</param>
/// <param name="Registration">Version and configuration.</param>
/// <param name="CreateHandler">Builds the invocation handler.</param>
public sealed record FunctionDescriptor(
    string Name,
    DurableFunctionRegistration Registration,
    Func<ILoggerFactory?, TimeProvider, InvocationHandler> CreateHandler)
{
    /// <summary>The endpoint of an HTTP function; null for code.</summary>
    public Uri? Url { get; init; }

    /// <summary>
    /// Builds the registry entry, checking the configuration ranges of PROTOCOL.md §2.2. An HTTP function's handler
    /// POSTs with <paramref name="httpClientFactory"/>'s <see cref="HttpFunction.HttpClientName"/> client when given.
    /// </summary>
    public RegisteredFunction ToRegisteredFunction(ILoggerFactory? loggerFactory, TimeProvider timeProvider, IHttpClientFactory? httpClientFactory = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        CheckRegistration(Name, Registration);
        return new RegisteredFunction
        {
            Name = Name,
            Version = Registration.Version,
            ExecutionTimeout = Registration.ExecutionTimeout,
            RetentionPeriodInDays = Registration.RetentionPeriodInDays,
            InvocationTimeout = Registration.InvocationTimeout,
            Url = Url,
            Tracing = Registration.Tracing,
            Handler = Url is not null && httpClientFactory is not null
                ? HttpFunction.CreateHandler(Url, Registration.InvocationTimeout, timeProvider, httpClientFactory)
                : CreateHandler(loggerFactory, timeProvider),
        };
    }

    internal static void CheckRegistration(string name, DurableFunctionRegistration registration)
    {
        if (registration.ExecutionTimeout < TimeSpan.FromSeconds(1) || registration.ExecutionTimeout > TimeSpan.FromSeconds(31_622_400))
        {
            throw new ArgumentOutOfRangeException(nameof(registration), $"Function '{name}': ExecutionTimeout must be between 1 second and 366 days.");
        }

        if (registration.RetentionPeriodInDays is < 1 or > 90)
        {
            throw new ArgumentOutOfRangeException(nameof(registration), $"Function '{name}': RetentionPeriodInDays must be between 1 and 90.");
        }

        if (registration.InvocationTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(registration), $"Function '{name}': InvocationTimeout must be positive.");
        }
    }
}
