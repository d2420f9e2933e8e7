using Durably.Protocol;

namespace Durably.Engine;

public sealed partial class DurableEngine
{
    /// <summary>The most history events an export holds; a longer execution is refused rather than loaded whole.</summary>
    public const int MaxExportEvents = 100_000;

    /// <summary>The most payload bytes (inputs, results, errors of operations and events) an export holds: 64 MiB.</summary>
    public const long MaxExportPayloadBytes = 64L * 1024 * 1024;

    /// <summary>
    /// An execution's description, operations and history in one document (a Durably extension, docs/server.md), for
    /// replay-from-history tests. Refused with RequestTooLarge past <see cref="MaxExportEvents"/> or <see cref="MaxExportPayloadBytes"/>.
    /// </summary>
    public async Task<ExecutionExport> ExportExecutionAsync(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        DurableExecutionDescription execution = await GetExecutionAsync(durableExecutionArn, includeExecutionData: true, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Operation> operations = await GetOperationsAsync(durableExecutionArn, cancellationToken).ConfigureAwait(false);
        long bytes = operations.Sum(PageBudget.BytesOf);
        var events = new List<HistoryEvent>();
        string? marker = null;
        do
        {
            RefuseLargeExport(durableExecutionArn, events.Count, bytes);
            HistoryPage page = await GetHistoryAsync(durableExecutionArn, marker, MaxPageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
            events.AddRange(page.Events);
            bytes += page.Events.Sum(PageBudget.BytesOf);
            marker = page.NextMarker;
        }
        while (marker is not null);

        RefuseLargeExport(durableExecutionArn, events.Count, bytes);
        return new ExecutionExport { Execution = execution, Operations = operations, Events = events };
    }

    private static void RefuseLargeExport(string durableExecutionArn, int events, long bytes)
    {
        if (events > MaxExportEvents || bytes > MaxExportPayloadBytes)
        {
            throw ServiceErrorCodes.TooLarge(
                $"Execution '{ServiceErrorCodes.Shorten(durableExecutionArn)}' is too large to export: an export holds at most {MaxExportEvents} history events " +
                $"and {MaxExportPayloadBytes / (1024 * 1024)} MiB of payloads.");
        }
    }
}
