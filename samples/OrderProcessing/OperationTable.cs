using Durably.Protocol;

namespace OrderProcessing;

/// <summary>Prints an execution's operations and history, with timing relative to the execution's start.</summary>
internal static class OperationTable
{
    public static void Print(IReadOnlyList<Operation> operations, TextWriter output)
    {
        DateTimeOffset? origin = operations.FirstOrDefault(o => o.Type == OperationType.Execution)?.StartTimestamp;
        output.WriteLine($"{"operation",-20} {"type",-10} {"status",-10} {"attempts",8} {"start",9} {"duration",9}");
        foreach (Operation operation in operations)
        {
            string name = operation.Type == OperationType.Execution ? "(execution)" : operation.Name ?? "(unnamed)";
            string attempts = operation.StepDetails?.Attempt?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
            output.WriteLine($"{name,-20} {operation.Type,-10} {operation.Status,-10} {attempts,8} {Offset(origin, operation.StartTimestamp),9} {Offset(operation.StartTimestamp, operation.EndTimestamp),9}");
        }
    }

    public static void Print(IReadOnlyList<HistoryEvent> history, TextWriter output)
    {
        DateTimeOffset origin = history[0].EventTimestamp;
        output.WriteLine($"{"#",3} {"at",9} {"event",-20} operation");
        foreach (HistoryEvent entry in history)
        {
            string attempt = entry.Details.RetryDetails?.CurrentAttempt is { } current ? $" (attempt {current})" : "";
            output.WriteLine($"{entry.EventId,3} {Offset(origin, entry.EventTimestamp),9} {entry.EventType,-20} {entry.Name}{attempt}");
        }
    }

    private static string Offset(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } start && to is { } end ? $"{(end - start).TotalMilliseconds:F0} ms" : "-";
}
