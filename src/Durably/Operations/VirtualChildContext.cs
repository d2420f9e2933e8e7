using Durably.Replay;
using Durably.Telemetry;

namespace Durably;

internal sealed partial class DurableContext
{
    /// <summary>
    /// A child context with <see cref="NestingType.Flat"/> (AWS's virtual context): the function runs inline and no
    /// CONTEXT operation is recorded, so on replay it simply runs again and its operations replay. As in AWS's SDKs, it
    /// still takes this context's next id, and its operations get ids under that id (so they stay unique and
    /// deterministic) while their ParentId is this context's, the nearest context that is recorded. Its result is
    /// not stored: it goes through the serializer like every other result, so the first run and replays see the same value.
    /// </summary>
    private async Task<T> RunVirtualChildAsync<T>(string? name, string subType, IDurableSerializer serializer,
        Func<IDurableContext, CancellationToken, Task<T>> func, Func<Exception, Exception>? errorMapping)
    {
        string id = OperationIds.For(_idPrefix, Interlocked.Increment(ref _sequence));
        // Operations recorded in this context (its own and its virtual children's) not visited yet: this one ran before.
        bool replaying = Volatile.Read(ref ReplayCounter._unvisitedRecorded) > 0;
        OperationSpan? span = replaying ? null : _invocation.Tracer?.StartOperation(id, null, Protocol.OperationType.Context, subType, name, _span, virtualContext: true);
        DurableContext child = CreateVirtualChild(id, span);
        T result;
        try
        {
            result = await func(child, _invocation.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!IsFatal(exception))
        {
            span?.End(Protocol.OperationStatus.Failed);
            throw MapError(errorMapping, new ChildContextException(ToError(exception), exception) { SubType = subType });
        }

        span?.End(Protocol.OperationStatus.Succeeded);
        return serializer.Deserialize<T>(serializer.Serialize(result))!;
    }
}
