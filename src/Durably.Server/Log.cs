using Microsoft.Extensions.Logging;

namespace Durably.Server;

internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "{Method} {Operation} failed with an unexpected error.")]
    public static partial void RequestFailed(this ILogger logger, Exception exception, string method, string operation);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Critical, Message = "{Reason} The application is stopped.")]
    public static partial void ListenAddressRefused(this ILogger logger, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "GET /health: the execution store could not be read; the server answers 503 Unhealthy.")]
    public static partial void HealthCheckFailed(this ILogger logger, Exception exception);
}
