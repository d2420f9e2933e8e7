using Durably.Protocol;

namespace Durably.Engine;

/// <summary>
/// Writes one execution (description, operations, whole history) as an <see cref="ExecutionExport"/> for
/// replay-from-history tests, refusing one past <see cref="DurableEngine.MaxExportEvents"/> or
/// <see cref="DurableEngine.MaxExportPayloadBytes"/> rather than loading it whole.
/// </summary>
internal sealed class ExecutionExporter(ExecutionQueries queries)
{
    public async Task<ExecutionExport> ExportAsync(string durableExecutionArn, CancellationToken cancellationToken)
    {
        DurableExecutionDescription execution = await queries.GetExecutionAsync(durableExecutionArn, includeExecutionData: true, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Operation> operations = await queries.GetOperationsAsync(durableExecutionArn, cancellationToken).ConfigureAwait(false);
        long bytes = operations.Sum(PageBudget.BytesOf);
        var events = new List<HistoryEvent>();
        string? marker = null;
        do
        {
            RefuseLargeExport(durableExecutionArn, events.Count, bytes);
            HistoryPage page = await queries.GetHistoryAsync(durableExecutionArn, marker, ExecutionQueries.MaxPageSize, cancellationToken: cancellationToken).ConfigureAwait(false);
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
        if (events > DurableEngine.MaxExportEvents || bytes > DurableEngine.MaxExportPayloadBytes)
        {
            throw ServiceErrorCodes.TooLarge(
                $"Execution '{ServiceErrorCodes.Shorten(durableExecutionArn)}' is too large to export: an export holds at most {DurableEngine.MaxExportEvents} history events " +
                $"and {DurableEngine.MaxExportPayloadBytes / (1024 * 1024)} MiB of payloads.");
        }
    }
}
