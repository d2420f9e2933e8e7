using Durably.Protocol;

namespace Durably.Cli.Output;

/// <summary>Execution statuses by their wire names.</summary>
internal static class Statuses
{
    /// <summary>The wire name, e.g. <c>TIMED_OUT</c>.</summary>
    public static string Name(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Running => "RUNNING",
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.TimedOut => "TIMED_OUT",
        ExecutionStatus.Stopped => "STOPPED",
        _ => status.ToString(),
    };
}
