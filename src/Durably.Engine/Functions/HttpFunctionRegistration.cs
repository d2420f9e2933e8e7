using Durably.Engine.Storage;

namespace Durably.Engine;

/// <summary>
/// An HTTP function registered at run time, as <see cref="IFunctionRegistrationStore"/> keeps it: everything needed to
/// register it again after a restart.
/// </summary>
/// <param name="Name">The function name.</param>
/// <param name="Version">The concrete version.</param>
/// <param name="Url">The endpoint each invocation is POSTed to.</param>
/// <param name="ExecutionTimeout">Execution timeout captured by executions at start.</param>
/// <param name="RetentionPeriodInDays">Retention after close captured by executions at start.</param>
/// <param name="InvocationTimeout">How long one invocation (one POST) may take.</param>
public sealed record HttpFunctionRegistration(
    string Name, string Version, Uri Url, TimeSpan ExecutionTimeout, int RetentionPeriodInDays, TimeSpan InvocationTimeout)
{
    /// <summary>
    /// The registry entry, its handler POSTing to <see cref="Url"/> (<see cref="HttpFunction.CreateHandler"/>) with
    /// <paramref name="httpClientFactory"/>'s named client when given.
    /// </summary>
    public RegisteredFunction ToRegisteredFunction(TimeProvider timeProvider, IHttpClientFactory? httpClientFactory = null) => new()
    {
        Name = Name,
        Version = Version,
        ExecutionTimeout = ExecutionTimeout,
        RetentionPeriodInDays = RetentionPeriodInDays,
        InvocationTimeout = InvocationTimeout,
        Url = Url,
        Handler = HttpFunction.CreateHandler(Url, InvocationTimeout, timeProvider, httpClientFactory),
    };
}
