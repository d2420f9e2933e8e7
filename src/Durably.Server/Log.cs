using Microsoft.Extensions.Logging;

namespace Durably.Server;

internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "{Method} {Path} failed with an unexpected error.")]
    public static partial void RequestFailed(this ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Critical, Message = "{Reason} The application is stopped.")]
    public static partial void ListenAddressRefused(this ILogger logger, string reason);
}
