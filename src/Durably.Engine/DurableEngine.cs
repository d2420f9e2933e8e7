using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Durably.Engine;

/// <summary>
/// The engine: starts executions, runs their invocations one at a time, applies checkpoints, fires timers and answers
/// callbacks. It is the in-process <see cref="IDurableExecutionClient"/> of the functions it runs. Every state change is
/// load → pure transition → one atomic, version-checked commit; a lost race is recomputed. This class is the facade;
/// the work is done by its parts (docs/engine.md "The parts"): <see cref="ExecutionCommitter"/> (the commit loop and its
/// cache), <see cref="ExecutionControl"/> (start, stop, callbacks), <see cref="ExecutionDataPlane"/> (checkpoint,
/// state), <see cref="ExecutionQueries"/>, <see cref="ExecutionExporter"/>, <see cref="InvocationRunner"/> and <see cref="TimerDispatcher"/>.
/// </summary>
public sealed class DurableEngine : IDurableExecutionClient, IAsyncDisposable
{
    private readonly IExecutionStore _store;
    private readonly ActivityTracker _activity = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ExecutionCommitter _commits;
    private readonly ExecutionQueries _queries;
    private readonly ExecutionExporter _exporter;
    private readonly ExecutionDataPlane _dataPlane;
    private readonly ExecutionControl _control;
    private readonly TimerDispatcher _dispatcher;

    /// <summary>Creates an engine; call <see cref="StartAsync"/> to run its dispatcher.</summary>
    public DurableEngine(IExecutionStore store, FunctionRegistry functions, TimeProvider timeProvider, DurablyOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        Functions = functions;
        TimeProvider = timeProvider;
        options ??= new DurablyOptions();
        RequireAtLeastOne(nameof(DurablyOptions.MaxOperationsPerExecution), options.MaxOperationsPerExecution);
        RequireAtLeastOne(nameof(DurablyOptions.MaxBytesWrittenPerExecution), options.MaxBytesWrittenPerExecution);
        if (options.MaxInvocationsPerExecution is { } maxInvocations)
        {
            RequireAtLeastOne(nameof(DurablyOptions.MaxInvocationsPerExecution), maxInvocations);
        }

        ILogger logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Durably.Engine");
        Changes = new ExecutionChangeFeed(timeProvider);
        _commits = new ExecutionCommitter(store, functions, Changes, timeProvider, Wake);
        _queries = new ExecutionQueries(_commits, functions, timeProvider);
        _exporter = new ExecutionExporter(_queries);
        _dataPlane = new ExecutionDataPlane(_commits, _queries, functions, options, timeProvider);
        var invocations = new InvocationRunner(_commits, _queries, functions, options, timeProvider, _activity, logger, this,
            () => _dispatcher!.IsDispatching, _stopping.Token);
        _dispatcher = new TimerDispatcher(_commits, invocations, functions, options, timeProvider, _activity, logger, _stopping);
        _control = new ExecutionControl(_commits, invocations, functions, options, timeProvider, logger, Wake);
    }

    /// <summary>The registered functions.</summary>
    public FunctionRegistry Functions { get; }

    /// <summary>The committed changes of executions (status changes, new history events), newest last, for live views.</summary>
    public ExecutionChangeFeed Changes { get; }

    /// <summary>The engine's only source of time.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// True when nothing runs: no invocation in flight and the dispatcher has no due timer to process.
    /// With fake time, a test may then jump to <see cref="GetNextDueTimeAsync"/>.
    /// </summary>
    public bool IsIdle => _activity.IsIdle;

    /// <summary>Completes when the engine is next idle (at once when it is).</summary>
    public Task WhenIdleAsync() => _activity.WhenIdleAsync();

    /// <summary>The earliest time at which a timer (wait, retry, timeout, scheduled invocation) is due.</summary>
    public Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default) => _store.GetNextDueTimeAsync(cancellationToken);

    /// <summary>The timers due at or before <paramref name="at"/>, earliest first (what a jump to <paramref name="at"/> would fire).</summary>
    public Task<IReadOnlyList<TimerRecord>> GetTimersDueByAsync(DateTimeOffset at, int maxItems = 100, CancellationToken cancellationToken = default) =>
        _store.GetDueTimersAsync(at, maxItems, cancellationToken);

    /// <summary>
    /// Starts the dispatcher that fires due timers and starts invocations; first, with
    /// <see cref="DurablyOptions.ReclaimLeasesOnStart"/>, expires the leases a previous process left behind.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _dispatcher.StartAsync(cancellationToken);

    /// <summary>Stops the dispatcher and cancels running invocations.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _dispatcher.StopAsync(cancellationToken);

    /// <summary>
    /// Asks the dispatcher to look for due timers now (e.g. after fake time moved). The engine counts as
    /// busy from this call until the dispatcher has processed everything due.
    /// </summary>
    public void Wake() => _dispatcher.Wake();

    /// <summary>Starts an execution of <paramref name="functionName"/> (name, <c>name:version</c> or ARN), idempotently by name (PROTOCOL.md §2.1).</summary>
    /// <exception cref="DurableExecutionAlreadyStartedException">The name is taken by an execution with another input.</exception>
    public Task<StartExecutionResult> StartExecutionAsync(
        string functionName, string? inputPayload, string? executionName = null, string? qualifier = null, CancellationToken cancellationToken = default) =>
        _control.StartExecutionAsync(functionName, inputPayload, executionName, qualifier, cancellationToken);

    /// <summary>StopDurableExecution: idempotent; returns the stop (or existing end) time.</summary>
    public Task<DateTimeOffset> StopExecutionAsync(string durableExecutionArn, ErrorObject? error = null, CancellationToken cancellationToken = default) =>
        _control.StopExecutionAsync(durableExecutionArn, error, cancellationToken);

    /// <summary>SendDurableExecutionCallbackSuccess: <paramref name="result"/> is stored verbatim.</summary>
    public Task SendCallbackSuccessAsync(string callbackId, string? result, CancellationToken cancellationToken = default) =>
        _control.SendCallbackSuccessAsync(callbackId, result, cancellationToken);

    /// <summary>SendDurableExecutionCallbackFailure.</summary>
    public Task SendCallbackFailureAsync(string callbackId, ErrorObject? error, CancellationToken cancellationToken = default) =>
        _control.SendCallbackFailureAsync(callbackId, error, cancellationToken);

    /// <summary>SendDurableExecutionCallbackHeartbeat: resets the heartbeat timer.</summary>
    public Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken = default) =>
        _control.SendCallbackHeartbeatAsync(callbackId, cancellationToken);

    /// <summary>
    /// Completes when the execution is closed; returns its description. On a store several nodes share, a close committed
    /// by another node is seen within the store's <see cref="ISharedExecutionStore.PollInterval"/>.
    /// </summary>
    public async Task<DurableExecutionDescription> WaitForCompletionAsync(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        ExecutionRecord execution = await _commits.WaitForCloseAsync(ExecutionCommitter.RequireExecutionId(durableExecutionArn), cancellationToken).ConfigureAwait(false);
        return ExecutionQueries.Describe(execution, includeExecutionData: true);
    }

    /// <inheritdoc />
    public Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request, CancellationToken cancellationToken = default) =>
        _dataPlane.CheckpointAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request, CancellationToken cancellationToken = default) =>
        _dataPlane.GetExecutionStateAsync(request, cancellationToken);

    /// <summary>GetDurableExecution.</summary>
    public Task<DurableExecutionDescription> GetExecutionAsync(string durableExecutionArn, bool includeExecutionData = true, CancellationToken cancellationToken = default) =>
        _queries.GetExecutionAsync(durableExecutionArn, includeExecutionData, cancellationToken);

    /// <summary>Every operation of an execution in start order, children of closed contexts included (for tests and the console).</summary>
    public Task<IReadOnlyList<Operation>> GetOperationsAsync(string durableExecutionArn, CancellationToken cancellationToken = default) =>
        _queries.GetOperationsAsync(durableExecutionArn, cancellationToken);

    /// <summary>
    /// GetDurableExecutionHistory: markers are event positions, so a marker can be re-read to see newer events. A page
    /// holds at most <paramref name="maxItems"/> events and about 1 MiB of payloads (<see cref="PageBudget"/>).
    /// </summary>
    public Task<HistoryPage> GetHistoryAsync(
        string durableExecutionArn, string? marker = null, int? maxItems = null, bool reverseOrder = false, bool includeExecutionData = true,
        CancellationToken cancellationToken = default) =>
        _queries.GetHistoryAsync(durableExecutionArn, marker, maxItems, reverseOrder, includeExecutionData, cancellationToken);

    /// <summary>ListDurableExecutionsByFunction: newest first unless <see cref="ListDurableExecutionsRequest.ReverseOrder"/>.</summary>
    public Task<DurableExecutionPage> ListExecutionsAsync(ListDurableExecutionsRequest request, CancellationToken cancellationToken = default) =>
        _queries.ListExecutionsAsync(request, cancellationToken);

    /// <summary>The most history events an export holds; a longer execution is refused rather than loaded whole.</summary>
    public const int MaxExportEvents = 100_000;

    /// <summary>The most payload bytes (inputs, results, errors of operations and events) an export holds: 64 MiB.</summary>
    public const long MaxExportPayloadBytes = 64L * 1024 * 1024;

    /// <summary>
    /// An execution's description, operations and history in one document (a Durably extension, docs/server.md), for
    /// replay-from-history tests. Refused with RequestTooLarge past <see cref="MaxExportEvents"/> or <see cref="MaxExportPayloadBytes"/>.
    /// </summary>
    public Task<ExecutionExport> ExportExecutionAsync(string durableExecutionArn, CancellationToken cancellationToken = default) =>
        _exporter.ExportAsync(durableExecutionArn, cancellationToken);

    /// <summary>
    /// The executions of <paramref name="functionName"/> per version and status, counted by the store: every registered
    /// version (hosted) and every version that still has executions, or only <paramref name="version"/>. Registered
    /// versions come first in registration order, then the others by name.
    /// </summary>
    /// <exception cref="DurableServiceException">ResourceNotFoundException: the function is neither registered nor has executions.</exception>
    public Task<IReadOnlyList<VersionExecutionCounts>> CountExecutionsAsync(string functionName, string? version = null, CancellationToken cancellationToken = default) =>
        _queries.CountExecutionsAsync(functionName, version, cancellationToken);

    /// <summary>
    /// What a running execution waits on, from its open operations: a WAIT with its end, a STARTED CALLBACK, a step
    /// waiting to retry (PENDING, or READY when the retry is due) and a STARTED CHAINED_INVOKE. Empty for a closed execution.
    /// </summary>
    public Task<IReadOnlyList<WaitingOn>> GetWaitingOnAsync(string durableExecutionArn, CancellationToken cancellationToken = default) =>
        _queries.GetWaitingOnAsync(durableExecutionArn, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _dispatcher.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static void RequireAtLeastOne(string option, long value)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(option, value, $"DurablyOptions.{option} must be at least 1; got {value}.");
        }
    }
}
