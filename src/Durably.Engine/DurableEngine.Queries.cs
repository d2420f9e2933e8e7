using System.Globalization;
using Durably.Protocol;

namespace Durably.Engine;

public sealed partial class DurableEngine
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    /// <summary>GetDurableExecution.</summary>
    public async Task<DurableExecutionDescription> GetExecutionAsync(string durableExecutionArn, bool includeExecutionData = true, CancellationToken cancellationToken = default)
    {
        ExecutionRecord execution = await LoadExecutionAsync(RequireExecutionId(durableExecutionArn), cancellationToken).ConfigureAwait(false);
        return Describe(execution, includeExecutionData);
    }

    /// <summary>Every operation of an execution in start order, children of closed contexts included (for tests and the console).</summary>
    public async Task<IReadOnlyList<Operation>> GetOperationsAsync(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        string executionId = RequireExecutionId(durableExecutionArn);
        await LoadExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<OperationRecord> records = await _store.ReadOperationsAsync(executionId, -1, int.MaxValue, cancellationToken).ConfigureAwait(false);
        return [.. records.Select(record => record.Operation)];
    }

    /// <summary>
    /// GetDurableExecutionHistory: markers are event positions, so a marker can be re-read to see newer events. A page
    /// holds at most <paramref name="maxItems"/> events and about 1 MiB of payloads (<see cref="PageBudget"/>).
    /// </summary>
    public async Task<HistoryPage> GetHistoryAsync(
        string durableExecutionArn, string? marker = null, int? maxItems = null, bool reverseOrder = false, bool includeExecutionData = true,
        CancellationToken cancellationToken = default)
    {
        string executionId = RequireExecutionId(durableExecutionArn);
        ExecutionRecord execution = await LoadExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        int pageSize = PageSize(maxItems);
        int from = ParseMarker(marker, reverseOrder ? execution.EventCount + 1 : 0);
        if (from > execution.EventCount + (reverseOrder ? 1 : 0))
        {
            // A marker is an event position; one past every event the execution can have written is not a marker of it.
            throw ServiceErrorCodes.InvalidParameter($"Marker '{ServiceErrorCodes.Shorten(marker)}' is not valid.");
        }

        var page = new List<HistoryEvent>();
        var budget = new PageBudget();
        bool full = false;
        while (!full)
        {
            int wanted = Math.Min(pageSize - page.Count, PageBudget.ReadChunk);
            IReadOnlyList<HistoryEvent> chunk = await _store.ReadHistoryAsync(executionId, from, wanted, reverseOrder, cancellationToken).ConfigureAwait(false);
            foreach (HistoryEvent historyEvent in chunk)
            {
                if (!budget.TryTake(includeExecutionData ? PageBudget.BytesOf(historyEvent) : 0))
                {
                    full = true;
                    break;
                }

                page.Add(historyEvent);
                from = historyEvent.EventId;
            }

            full |= page.Count == pageSize;
            if (chunk.Count < wanted)
            {
                break;
            }
        }

        bool more = full && (reverseOrder ? page[^1].EventId > 1 : page[^1].EventId < execution.EventCount);
        string? nextMarker = more ? page[^1].EventId.ToString(CultureInfo.InvariantCulture) : null;
        return new HistoryPage(includeExecutionData ? page : [.. page.Select(StripPayloads)], nextMarker);
    }

    /// <summary>
    /// A page of the operations the SDK sees, EXECUTION first: children of a CONTEXT closed without
    /// ReplayChildren are left out, transitively (WIRE-DETAILS.md §B.10). The marker is a sequence number. A page holds
    /// at most <paramref name="maxItems"/> operations and about 1 MiB of payloads (<see cref="PageBudget"/>); the
    /// store is read a chunk at a time, so an execution's operations are never all in memory at once.
    /// </summary>
    private async Task<(IReadOnlyList<Operation> Operations, string? NextMarker)> ReadVisibleOperationsAsync(
        string executionId, int afterSequence, int maxItems, CancellationToken cancellationToken)
    {
        // Ids whose descendants are hidden: closed contexts without ReplayChildren, and hidden operations themselves.
        var hiding = new HashSet<string>(StringComparer.Ordinal);
        var page = new List<Operation>();
        var budget = new PageBudget();
        int lastSequence = afterSequence;
        int readUpTo = -1;
        while (true)
        {
            IReadOnlyList<OperationRecord> chunk = await _store.ReadOperationsAsync(executionId, readUpTo, PageBudget.ReadChunk, cancellationToken).ConfigureAwait(false);
            foreach (OperationRecord record in chunk)
            {
                readUpTo = record.Sequence;
                Operation operation = record.Operation;
                if (operation.ParentId is { } parentId && hiding.Contains(parentId))
                {
                    hiding.Add(operation.Id);
                    continue;
                }

                if (operation.Type == OperationType.Context && operation.Status is OperationStatus.Succeeded or OperationStatus.Failed
                    && operation.ContextDetails?.ReplayChildren != true)
                {
                    hiding.Add(operation.Id);
                }

                if (record.Sequence <= afterSequence)
                {
                    continue;
                }

                if (page.Count == maxItems || !budget.TryTake(PageBudget.BytesOf(operation)))
                {
                    return (page, lastSequence.ToString(CultureInfo.InvariantCulture));
                }

                page.Add(operation);
                lastSequence = record.Sequence;
            }

            if (chunk.Count < PageBudget.ReadChunk)
            {
                return (page, null);
            }
        }
    }

    private static int ParseMarker(string? marker, int empty)
    {
        if (string.IsNullOrEmpty(marker))
        {
            return empty;
        }

        return int.TryParse(marker, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw ServiceErrorCodes.InvalidParameter($"Marker '{ServiceErrorCodes.Shorten(marker)}' is not valid.");
    }

    /// <summary>ListDurableExecutionsByFunction: newest first unless <see cref="ListDurableExecutionsRequest.ReverseOrder"/>.</summary>
    public async Task<DurableExecutionPage> ListExecutionsAsync(ListDurableExecutionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        (string name, string? qualifier) = FunctionRegistry.Parse(request.FunctionName);
        if (!Functions.Contains(name))
        {
            throw ServiceErrorCodes.NotFound($"Function not found: {ServiceErrorCodes.Shorten(request.FunctionName)}");
        }

        if (request.DurableExecutionNamePrefix is not null)
        {
            EngineLimits.CheckId("DurableExecutionNamePrefix", request.DurableExecutionNamePrefix);
        }

        qualifier = request.Qualifier ?? qualifier;
        IReadOnlyList<ExecutionRecord> stored = await _store.ListExecutionsAsync(new ExecutionQuery
        {
            FunctionName = name,
            FunctionVersion = qualifier is null or FunctionRegistry.Latest ? null : qualifier,
            ExecutionName = request.DurableExecutionName,
            ExecutionNamePrefix = request.DurableExecutionNamePrefix,
            Statuses = request.Statuses,
            StartedAfter = request.StartedAfter,
            StartedBefore = request.StartedBefore,
        }, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = Now;
        // An execution past its retention is gone even before the dispatcher purges it.
        IReadOnlyList<ExecutionRecord> matches = [.. stored.Where(execution => !execution.IsExpiredAt(now))];
        IEnumerable<ExecutionRecord> ordered = request.ReverseOrder ? matches : matches.Reverse();
        int offset = ParseMarker(request.Marker, 0);
        int pageSize = PageSize(request.MaxItems);
        ExecutionRecord[] page = [.. ordered.Skip(offset).Take(pageSize)];
        string? nextMarker = offset + page.Length < matches.Count ? (offset + page.Length).ToString(CultureInfo.InvariantCulture) : null;
        return new DurableExecutionPage([.. page.Select(Summarize)], nextMarker);
    }

    private static int PageSize(int? maxItems) => maxItems switch
    {
        null or 0 => DefaultPageSize,
        < 0 or > MaxPageSize => throw ServiceErrorCodes.InvalidParameter($"MaxItems must be between 0 and {MaxPageSize}."),
        _ => maxItems.Value,
    };

    private static DurableExecutionSummary Summarize(ExecutionRecord execution) => new()
    {
        DurableExecutionArn = execution.DurableExecutionArn,
        DurableExecutionName = execution.ExecutionName,
        FunctionArn = execution.FunctionArn,
        Status = execution.Status,
        StartTimestamp = execution.StartTimestamp,
        EndTimestamp = execution.EndTimestamp,
    };

    private static DurableExecutionDescription Describe(ExecutionRecord execution, bool includeExecutionData) => new()
    {
        DurableExecutionArn = execution.DurableExecutionArn,
        DurableExecutionName = execution.ExecutionName,
        FunctionArn = execution.FunctionArn,
        Status = execution.Status,
        StartTimestamp = execution.StartTimestamp,
        EndTimestamp = execution.EndTimestamp,
        InputPayload = includeExecutionData ? execution.InputPayload : null,
        Result = includeExecutionData ? execution.Result : null,
        Error = includeExecutionData ? execution.Error : null,
        Version = execution.FunctionVersion,
        ExecutionDataIncluded = includeExecutionData,
        DurableConfig = new DurableConfig { ExecutionTimeout = execution.ExecutionTimeoutSeconds, RetentionPeriodInDays = execution.RetentionPeriodInDays },
    };

    private static HistoryEvent StripPayloads(HistoryEvent historyEvent) => historyEvent with
    {
        Details = historyEvent.Details with
        {
            Input = historyEvent.Details.Input is null ? null : new EventPayload { Truncated = true },
            Result = historyEvent.Details.Result is null ? null : new EventPayload { Truncated = true },
            Error = historyEvent.Details.Error is null ? null : new EventError { Truncated = true },
        },
    };
}
