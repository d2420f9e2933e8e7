using Durably.Engine;
using Durably.Protocol;

namespace Durably.TestSupport;

/// <summary>Reading an execution's history and operations back through the engine.</summary>
public static class EngineHistory
{
    /// <summary>Every event of the execution, in order (all pages).</summary>
    public static async Task<IReadOnlyList<HistoryEvent>> HistoryAsync(this DurableEngine engine, string arn, CancellationToken cancellationToken = default)
    {
        var events = new List<HistoryEvent>();
        string? marker = null;
        do
        {
            HistoryPage page = await engine.GetHistoryAsync(arn, marker, maxItems: 1000, cancellationToken: cancellationToken);
            events.AddRange(page.Events);
            marker = page.NextMarker;
        }
        while (marker is not null);

        return events;
    }

    /// <summary>The event types of the execution's history, in order.</summary>
    public static async Task<IReadOnlyList<string>> EventTypesAsync(this DurableEngine engine, string arn) =>
        [.. (await engine.HistoryAsync(arn)).Select(e => e.EventType)];

    /// <summary>The errors of the execution's failed invocations, in order.</summary>
    public static async Task<IReadOnlyList<ErrorObject>> InvocationErrorsAsync(this DurableEngine engine, string arn) =>
        [.. (await engine.HistoryAsync(arn))
            .Where(e => e.EventType == HistoryEventTypes.InvocationCompleted && e.Details.Error?.Payload is not null)
            .Select(e => e.Details.Error!.Payload!)];

    /// <summary>The id of the execution's only callback, once the engine is idle; fails naming the history when there is none.</summary>
    public static async Task<string> CallbackIdAsync(this DurableEngine engine, string arn)
    {
        await engine.WaitUntilIdleAsync();
        Operation? callback = (await engine.GetOperationsAsync(arn)).SingleOrDefault(operation => operation.Type == OperationType.Callback);
        if (callback is null)
        {
            IEnumerable<string> events = (await engine.HistoryAsync(arn)).Select(e => $"{e.EventType} {e.Details.Error?.Payload?.ErrorMessage}");
            throw new InvalidOperationException($"The execution has no callback. History: {string.Join(" | ", events)}");
        }

        return callback.CallbackDetails!.CallbackId!;
    }
}
