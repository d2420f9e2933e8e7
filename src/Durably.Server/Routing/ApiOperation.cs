namespace Durably.Server.Routing;

/// <summary>The REST operations of the Durably API, named as Lambda names them.</summary>
internal enum ApiOperation
{
    Invoke,
    ListFunctions,
    ListVersionsByFunction,
    ListDurableExecutionsByFunction,
    GetDurableExecution,
    GetDurableExecutionHistory,
    GetDurableExecutionState,
    CheckpointDurableExecution,
    StopDurableExecution,
    SendDurableExecutionCallbackSuccess,
    SendDurableExecutionCallbackFailure,
    SendDurableExecutionCallbackHeartbeat,
    RegisterHttpFunction,
    RemoveHttpFunction,

    // Durably's console additions (docs/server.md), all reads.
    StreamExecutionChanges,
    CountDurableExecutionsByFunction,
    ListFunctionDetails,

    // Durably's replay-from-history export (docs/server.md, docs/testing.md), a read.
    ExportDurableExecution,

    // Webhook subscriptions to status-change events (docs/events.md).
    AddEventSubscription,
    ListEventSubscriptions,
    RemoveEventSubscription,
    ListEventSubscriptionDeadLetters,
    RedeliverEventSubscriptionDeadLetter,
}
