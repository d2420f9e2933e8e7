using Durably.Protocol;

namespace Durably.Engine.Storage;

/// <summary>A stored operation: the wire record plus what the engine needs beside it.</summary>
/// <param name="Sequence">Start order within the execution; the EXECUTION operation is 0.</param>
/// <param name="Operation">The operation as the SDK sees it.</param>
/// <param name="HeartbeatTimeoutSeconds">CALLBACK: the heartbeat timeout, 0 when none.</param>
/// <param name="WaitSeconds">WAIT: the requested duration.</param>
public sealed record OperationRecord(int Sequence, Operation Operation, int HeartbeatTimeoutSeconds = 0, int WaitSeconds = 0)
{
    /// <summary>True when the function may suspend on this operation.</summary>
    public bool IsPending => Operation.Type switch
    {
        OperationType.Step => Operation.Status is OperationStatus.Pending or OperationStatus.Ready,
        OperationType.Wait or OperationType.Callback or OperationType.ChainedInvoke => Operation.Status == OperationStatus.Started,
        _ => false,
    };
}
