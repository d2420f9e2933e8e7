using Microsoft.Extensions.Logging;

namespace Durably.Engine;

/// <summary>What <see cref="RuntimeFunctionRegistrations"/> logs: saved registrations it does not register again.</summary>
internal static partial class RegistrationLog
{
    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "The saved run-time registration of function {FunctionName} version {Version} is not registered: "
        + "a function of that name is registered in code, which wins. The saved registration is kept; remove it with 'durably functions remove {FunctionName}' once the code function is gone, or rename one of them.")]
    public static partial void RuntimeRegistrationShadowed(this ILogger logger, string functionName, string version);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "The saved run-time registration of function {FunctionName} version {Version} is not registered: {Refusal} "
        + "The saved registration is kept; allow its host (Durably:Server:HttpFunctionHosts) and restart, or remove it.")]
    public static partial void RuntimeRegistrationRefused(this ILogger logger, string functionName, string version, string refusal);
}
