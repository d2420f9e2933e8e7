using System.Globalization;
using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>
/// The engine's reads for the API and the console: descriptions, history and operation pages, lists and counts. They
/// never change an execution, and read the store directly (the cache holds only what running executions need).
/// </summary>
internal sealed class ExecutionQueries(ExecutionCommitter commits, FunctionRegistry functions, TimeProvider time)
{
    private const int DefaultPageSize = 100;
    internal const int MaxPageSize = 1000;

    private DateTimeOffset Now => time.GetUtcNow();

    /// <summary>GetDurableExecution.</summary>
    public async Task<DurableExecutionDescription> GetExecutionAsync(string durableExecutionArn, bool includeExecutionData = true, CancellationToken cancellationToken = default)
    {
        ExecutionRecord execution = await commits.LoadExecutionAsync(ExecutionCommitter.RequireExecutionId(durableExecutionArn), cancellationToken).ConfigureAwait(false);
        return Describe(execution, includeExecutionData);
    }

    /// <summary>Every operation of an execution in start order, children of closed contexts included (for tests and the console).</summary>
    public async Task<IReadOnlyList<Operation>> GetOperationsAsync(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        string executionId = ExecutionCommitter.RequireExecutionId(durableExecutionArn);
        await commits.LoadExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<OperationRecord> records = await commits.Store.ReadOperationsAsync(executionId, -1, int.MaxValue, cancellationToken).ConfigureAwait(false);
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
        string executionId = ExecutionCommitter.RequireExecutionId(durableExecutionArn);
        ExecutionRecord execution = await commits.LoadExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
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
            IReadOnlyList<HistoryEvent> chunk = await commits.Store.ReadHistoryAsync(executionId, from, wanted, reverseOrder, cancellationToken).ConfigureAwait(false);
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
    public async Task<(IReadOnlyList<Operation> Operations, string? NextMarker)> ReadVisibleOperationsAsync(
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
            IReadOnlyList<OperationRecord> chunk = await commits.Store.ReadOperationsAsync(executionId, readUpTo, PageBudget.ReadChunk, cancellationToken).ConfigureAwait(false);
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

    public static int ParseMarker(string? marker, int empty)
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
        if (!functions.Contains(name))
        {
            throw ServiceErrorCodes.NotFound($"Function not found: {ServiceErrorCodes.Shorten(request.FunctionName)}");
        }

        if (request.DurableExecutionNamePrefix is not null)
        {
            EngineLimits.CheckId("DurableExecutionNamePrefix", request.DurableExecutionNamePrefix);
        }

        qualifier = request.Qualifier ?? qualifier;
        IReadOnlyList<ExecutionRecord> stored = await commits.Store.ListExecutionsAsync(new ExecutionQuery
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

    public static DurableExecutionDescription Describe(ExecutionRecord execution, bool includeExecutionData) => new()
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

    /// <summary>
    /// The executions of <paramref name="functionName"/> per version and status, counted by the store: every registered
    /// version (hosted) and every version that still has executions, or only <paramref name="version"/>. Registered
    /// versions come first in registration order, then the others by name.
    /// </summary>
    /// <exception cref="DurableServiceException">ResourceNotFoundException: the function is neither registered nor has executions.</exception>
    public async Task<IReadOnlyList<VersionExecutionCounts>> CountExecutionsAsync(string functionName, string? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        IReadOnlyList<ExecutionCount> counts = await commits.Store.CountExecutionsAsync(functionName, Now, cancellationToken).ConfigureAwait(false);
        string[] hosted = [.. functions.GetAll().Where(function => function.Name == functionName).Select(function => function.Version)];
        if (hosted.Length == 0 && counts.Count == 0)
        {
            throw ServiceErrorCodes.NotFound($"Function not found: {ServiceErrorCodes.Shorten(functionName)}");
        }

        IEnumerable<string> versions = hosted.Concat(counts.Select(count => count.FunctionVersion).Distinct(StringComparer.Ordinal)
            .Where(stored => !hosted.Contains(stored, StringComparer.Ordinal)).Order(StringComparer.Ordinal));
        return [.. versions
            .Where(candidate => version is null or FunctionRegistry.Latest || candidate == version)
            .Select(candidate => new VersionExecutionCounts(candidate, hosted.Contains(candidate, StringComparer.Ordinal),
                Enum.GetValues<ExecutionStatus>().ToDictionary(
                    status => status,
                    status => counts.Where(count => count.FunctionVersion == candidate && count.Status == status).Sum(count => count.Count))))];
    }

    /// <summary>
    /// What a running execution waits on, from its open operations: a WAIT with its end, a STARTED CALLBACK, a step
    /// waiting to retry (PENDING, or READY when the retry is due) and a STARTED CHAINED_INVOKE. Empty for a closed execution.
    /// </summary>
    public async Task<IReadOnlyList<WaitingOn>> GetWaitingOnAsync(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        string executionId = ExecutionCommitter.RequireExecutionId(durableExecutionArn);
        ExecutionRecord execution = await commits.LoadExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        if (execution.IsClosed || execution.PendingOperationCount == 0)
        {
            return [];
        }

        IReadOnlyList<OperationRecord> operations = await commits.Store.ReadOperationsAsync(executionId, -1, int.MaxValue, cancellationToken).ConfigureAwait(false);
        return [.. operations.Where(record => record.IsPending).Select(record => Describe(record.Operation))];
    }

    private static WaitingOn Describe(Operation operation) => operation.Type switch
    {
        OperationType.Wait => new WaitingOn("WAIT", operation.Id, operation.Name, Until: operation.WaitDetails?.ScheduledEndTimestamp),
        OperationType.Callback => new WaitingOn("CALLBACK", operation.Id, operation.Name, CallbackId: operation.CallbackDetails?.CallbackId),
        OperationType.Step => new WaitingOn("RETRY", operation.Id, operation.Name, Until: operation.StepDetails?.NextAttemptTimestamp,
            Attempt: (operation.StepDetails?.Attempt ?? 0) + 1),
        _ => new WaitingOn("CHAINED_INVOKE", operation.Id, operation.Name),
    };
}
