using Durably.Protocol;

namespace OrderProcessing.Tests;

/// <summary>History events as short strings ("StepSucceeded process-order"), without the invocation bookkeeping.</summary>
internal static class Timeline
{
    public static IReadOnlyList<string> Of(IEnumerable<HistoryEvent> history) =>
    [
        .. history
            .Where(e => e.EventType != HistoryEventTypes.InvocationCompleted)
            .Select(e => e.EventType.StartsWith("Execution", StringComparison.Ordinal) ? e.EventType : $"{e.EventType} {e.Name}"),
    ];

    /// <summary>The events of one operation, by name.</summary>
    public static IReadOnlyList<HistoryEvent> For(IEnumerable<HistoryEvent> history, string name) =>
        [.. history.Where(e => e.Name == name)];
}
