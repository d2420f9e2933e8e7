using Durably.Protocol;

namespace Durably.Engine;

/// <summary>Which notices a subscription reads; null members match any.</summary>
/// <param name="FunctionName">Only executions of this function (unqualified name).</param>
/// <param name="FunctionVersion">Only executions pinned to this version.</param>
/// <param name="ExecutionId">Only this execution.</param>
public sealed record ExecutionChangeFilter(string? FunctionName = null, string? FunctionVersion = null, string? ExecutionId = null)
{
    /// <summary>Every notice.</summary>
    public static ExecutionChangeFilter All { get; } = new();

    /// <summary>A filter on a function (and version) and an execution given by its ARN.</summary>
    /// <exception cref="DurableServiceException">InvalidParameterValueException: <paramref name="durableExecutionArn"/> is not an execution ARN.</exception>
    public static ExecutionChangeFilter Create(string? functionName, string? functionVersion, string? durableExecutionArn)
    {
        string? executionId = null;
        if (durableExecutionArn is not null && !ExecutionArn.TryGetExecutionId(durableExecutionArn, out executionId))
        {
            throw ServiceErrorCodes.InvalidParameter($"DurableExecutionArn '{ServiceErrorCodes.Shorten(durableExecutionArn)}' is not a durable execution ARN.");
        }

        return new ExecutionChangeFilter(functionName, functionVersion, executionId);
    }

    /// <summary>True when <paramref name="notice"/> passes the filter.</summary>
    public bool Matches(ExecutionChangeNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return (FunctionName is null || string.Equals(FunctionName, notice.FunctionName, StringComparison.Ordinal))
            && (FunctionVersion is null || string.Equals(FunctionVersion, notice.Version, StringComparison.Ordinal))
            && (ExecutionId is null || string.Equals(ExecutionId, notice.ExecutionId, StringComparison.Ordinal));
    }
}
