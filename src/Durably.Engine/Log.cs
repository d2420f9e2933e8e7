using Microsoft.Extensions.Logging;

namespace Durably.Engine;

internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Execution {ExecutionArn} started.")]
    public static partial void ExecutionStarted(this ILogger logger, string executionArn);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Invocation {RequestId} of execution {ExecutionId} failed: {ErrorMessage}")]
    public static partial void InvocationFailed(this ILogger logger, string requestId, string executionId, string? errorMessage);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Execution {ExecutionId} waits for function {FunctionName} version {Version}, which is not registered here.")]
    public static partial void FunctionVersionMissing(this ILogger logger, string executionId, string functionName, string version);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Timer {Key} of execution {ExecutionId} could not be processed.")]
    public static partial void TimerFailed(this ILogger logger, Exception exception, string executionId, string key);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "The dispatcher failed; it restarts its pass.")]
    public static partial void DispatcherFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Expired {Count} invocation leases left by a previous process; their invocations are retried.")]
    public static partial void LeasesReclaimed(this ILogger logger, int count);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug, Message = "Execution {ExecutionArn} purged: its retention ended.")]
    public static partial void ExecutionPurged(this ILogger logger, string executionArn);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Debug, Message = "Timer {Key} of the unknown (purged) execution {ExecutionId} dropped, with any others left under that id.")]
    public static partial void OrphanTimersDropped(this ILogger logger, string executionId, string key);
}
