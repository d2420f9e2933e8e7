using Durably.Protocol;
using Durably.Replay;
using Durably.Telemetry;

namespace Durably;

/// <summary>
/// The I/O with which the operation bodies perform what <see cref="ReplayDecisions"/> decided: checkpoints, waits for a
/// service-side change, operation spans. Everything here goes through the invocation; nothing here decides.
/// </summary>
internal sealed partial class DurableContext
{
    private static readonly Task<Operation?> Never = new TaskCompletionSource<Operation?>().Task;

    /// <summary>
    /// The replay decision as this invocation performs it: a replay-only invocation (<c>ReplayTester</c>) waits, for
    /// ever, where the decision would go past the recording, so it ends suspended there.
    /// </summary>
    private ReplayAction Performed(ReplayAction action) =>
        _invocation.StopsAtRecordingEnd && ReplayDecisions.GoesPastTheRecording(action) ? ReplayAction.WaitForChange : action;

    private OperationUpdate Update(string id, OperationType type, OperationAction action, string? name, string? subType) => new()
    {
        Id = id,
        ParentId = _parentIdForOperations,
        Name = name,
        Type = type,
        SubType = subType,
        Action = action,
    };

    private Task<Operation?> CheckpointAsync(OperationUpdate update) =>
        IsAbandoned ? Never : _invocation.Batcher.CheckpointAsync(update);

    private void CheckpointLazily(OperationUpdate update)
    {
        if (!IsAbandoned)
        {
            _invocation.Batcher.CheckpointLazily(update);
        }
    }

    /// <summary>Starts the span of an operation this invocation runs or first sees end; null when not traced.</summary>
    private OperationSpan? StartSpan(string id, Operation? recorded, OperationType type, string? subType, string? name) =>
        _invocation.Tracer is { } tracer && tracer.Traces(recorded) ? tracer.StartOperation(id, recorded, type, subType, name, _span) : null;

    /// <summary>Waits for a service-side change of <paramref name="id"/> and returns the new record.</summary>
    private async Task<Operation?> WaitForChangeAsync(string id, Operation? seen)
    {
        if (IsAbandoned)
        {
            await Never.ConfigureAwait(false);
        }

        await _invocation.WaitForServiceChangeAsync(id, seen).ConfigureAwait(false);
        return _invocation.Log.Get(id);
    }
}
