using Durably.Server.Routing;

namespace Durably.Server.Security;

/// <summary>Which scope each operation needs, and which operations take a JSON body (docs/security.md).</summary>
internal static class OperationAccess
{
    /// <summary>The scope a key needs for <paramref name="operation"/>; <see cref="DurablyApiScope.Admin"/> holds every scope.</summary>
    public static DurablyApiScope ScopeOf(ApiOperation operation) => operation switch
    {
        ApiOperation.Invoke or ApiOperation.ListFunctions or ApiOperation.ListVersionsByFunction
            or ApiOperation.ListDurableExecutionsByFunction or ApiOperation.GetDurableExecution
            or ApiOperation.GetDurableExecutionHistory or ApiOperation.StreamExecutionChanges
            or ApiOperation.CountDurableExecutionsByFunction or ApiOperation.ListFunctionDetails
            or ApiOperation.ExportDurableExecution => DurablyApiScope.Invoke,
        ApiOperation.CheckpointDurableExecution or ApiOperation.GetDurableExecutionState => DurablyApiScope.DataPlane,
        ApiOperation.SendDurableExecutionCallbackSuccess or ApiOperation.SendDurableExecutionCallbackFailure
            or ApiOperation.SendDurableExecutionCallbackHeartbeat => DurablyApiScope.Callbacks,
        ApiOperation.AddEventSubscription => DurablyApiScope.Admin,
        ApiOperation.ListEventSubscriptions => DurablyApiScope.Admin,
        ApiOperation.RemoveEventSubscription => DurablyApiScope.Admin,
        ApiOperation.ListEventSubscriptionDeadLetters => DurablyApiScope.Admin,
        ApiOperation.RedeliverEventSubscriptionDeadLetter => DurablyApiScope.Admin,

        // Stopping executions, registering and removing functions, and anything added later without a decision.
        _ => DurablyApiScope.Admin,
    };

    /// <summary>
    /// True when the operation's body (if any) is a JSON document. Invoke payloads and callback results are raw bytes
    /// (AWS's clients send them as <c>application/octet-stream</c>), so they are not.
    /// </summary>
    public static bool TakesJsonBody(ApiOperation operation) => operation is ApiOperation.CheckpointDurableExecution
        or ApiOperation.StopDurableExecution or ApiOperation.SendDurableExecutionCallbackFailure or ApiOperation.RegisterHttpFunction
        or ApiOperation.AddEventSubscription;
}
