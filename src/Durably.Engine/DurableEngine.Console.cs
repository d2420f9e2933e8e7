using Durably.Protocol;

namespace Durably.Engine;

/// <summary>The queries of the web console beyond Lambda's API: counts per status, and what running executions wait on.</summary>
public sealed partial class DurableEngine
{
    /// <summary>
    /// The executions of <paramref name="functionName"/> per version and status, counted by the store: every registered
    /// version (hosted) and every version that still has executions, or only <paramref name="version"/>. Registered
    /// versions come first in registration order, then the others by name.
    /// </summary>
    /// <exception cref="DurableServiceException">ResourceNotFoundException: the function is neither registered nor has executions.</exception>
    public async Task<IReadOnlyList<VersionExecutionCounts>> CountExecutionsAsync(string functionName, string? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        IReadOnlyList<ExecutionCount> counts = await _store.CountExecutionsAsync(functionName, Now, cancellationToken).ConfigureAwait(false);
        string[] hosted = [.. Functions.GetAll().Where(function => function.Name == functionName).Select(function => function.Version)];
        if (hosted.Length == 0 && counts.Count == 0)
        {
            throw ServiceErrorCodes.NotFound($"Function not found: {ServiceErrorCodes.Shorten(functionName)}");
        }

        IEnumerable<string> versions = hosted.Concat(counts.Select(count => count.FunctionVersion).Distinct(StringComparer.Ordinal)
            .Where(stored => !hosted.Contains(stored, StringComparer.Ordinal)).Order(StringComparer.Ordinal));
        return [.. versions
            .Where(candidate => version is null or FunctionRegistry.Latest || candidate == version)
            .Select(candidate => new VersionExecutionCounts(candidate, hosted.Contains(candidate, StringComparer.Ordinal),
                Enum.GetValues<ExecutionStatus>().ToDictionary(
                    status => status,
                    status => counts.Where(count => count.FunctionVersion == candidate && count.Status == status).Sum(count => count.Count))))];
    }

    /// <summary>
    /// What a running execution waits on, from its open operations: a WAIT with its end, a STARTED CALLBACK, a step
    /// waiting to retry (PENDING, or READY when the retry is due) and a STARTED CHAINED_INVOKE. Empty for a closed execution.
    /// </summary>
    public async Task<IReadOnlyList<WaitingOn>> GetWaitingOnAsync(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        string executionId = RequireExecutionId(durableExecutionArn);
        ExecutionRecord execution = await LoadExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        if (execution.IsClosed || execution.PendingOperationCount == 0)
        {
            return [];
        }

        IReadOnlyList<OperationRecord> operations = await _store.ReadOperationsAsync(executionId, -1, int.MaxValue, cancellationToken).ConfigureAwait(false);
        return [.. operations.Where(record => record.IsPending).Select(record => Describe(record.Operation))];
    }

    private static WaitingOn Describe(Operation operation) => operation.Type switch
    {
        OperationType.Wait => new WaitingOn("WAIT", operation.Id, operation.Name, Until: operation.WaitDetails?.ScheduledEndTimestamp),
        OperationType.Callback => new WaitingOn("CALLBACK", operation.Id, operation.Name, CallbackId: operation.CallbackDetails?.CallbackId),
        OperationType.Step => new WaitingOn("RETRY", operation.Id, operation.Name, Until: operation.StepDetails?.NextAttemptTimestamp,
            Attempt: (operation.StepDetails?.Attempt ?? 0) + 1),
        _ => new WaitingOn("CHAINED_INVOKE", operation.Id, operation.Name),
    };
}
