using Durably.Protocol;

namespace Durably.Engine;

/// <summary>
/// The byte budget of one page of history events or operations (GetDurableExecutionHistory, GetDurableExecutionState,
/// the invocation envelope): a page ends before the item that would take its payloads, as JSON strings, past
/// <see cref="MaxPageBytes"/>, but always holds at least one item, so a page is at most about 1 MiB plus one item and
/// never 1,000 × 256 KiB.
/// </summary>
internal sealed class PageBudget
{
    /// <summary>The payload bytes (as escaped in JSON) one page may carry: 1 MiB.</summary>
    public const int MaxPageBytes = 1024 * 1024;

    /// <summary>How many rows a page reads from the store at a time, so memory stays bounded while a page fills.</summary>
    public const int ReadChunk = 100;

    private long _bytes;
    private int _items;

    /// <summary>Takes an item carrying <paramref name="bytes"/> payload bytes; false when the page is full without it.</summary>
    public bool TryTake(long bytes)
    {
        if (_items > 0 && _bytes + bytes > MaxPageBytes)
        {
            return false;
        }

        _bytes += bytes;
        _items++;
        return true;
    }

    /// <summary>The payload bytes of an operation: its input, results and errors.</summary>
    public static long BytesOf(Operation operation) =>
        JsonBytes(operation.ExecutionDetails?.InputPayload)
        + JsonBytes(operation.StepDetails?.Result) + EngineLimits.ErrorBytes(operation.StepDetails?.Error)
        + JsonBytes(operation.ContextDetails?.Result) + EngineLimits.ErrorBytes(operation.ContextDetails?.Error)
        + JsonBytes(operation.CallbackDetails?.Result) + EngineLimits.ErrorBytes(operation.CallbackDetails?.Error)
        + JsonBytes(operation.ChainedInvokeDetails?.Result) + EngineLimits.ErrorBytes(operation.ChainedInvokeDetails?.Error);

    /// <summary>The payload bytes of a history event: its input, result and error.</summary>
    public static long BytesOf(HistoryEvent historyEvent) =>
        JsonBytes(historyEvent.Details.Input?.Payload)
        + JsonBytes(historyEvent.Details.Result?.Payload)
        + EngineLimits.ErrorBytes(historyEvent.Details.Error?.Payload);

    /// <summary>The bytes of <paramref name="value"/> written as a JSON string (control characters counted at their longest, <c>\u00XX</c>).</summary>
    private static long JsonBytes(string? value)
    {
        if (value is null)
        {
            return 0;
        }

        // DurablyJson's relaxed encoder writes a quote or a backslash as 2 bytes, a control character as at most 6 (\u00XX).
        ReadOnlySpan<char> rest = value;
        long bytes = EngineLimits.PayloadBytes(value) + rest.Count('"') + rest.Count('\\');
        int next;
        while ((next = rest.IndexOfAnyInRange('\u0000', '\u001F')) >= 0)
        {
            bytes += 5;
            rest = rest[(next + 1)..];
        }

        return bytes;
    }
}
