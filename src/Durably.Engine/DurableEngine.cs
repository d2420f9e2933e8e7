using System.Collections.Concurrent;
using Durably.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Durably.Engine;

/// <summary>
/// The control plane: starts executions, runs their invocations one at a time, applies checkpoints,
/// fires timers and answers callbacks. It is the in-process <see cref="IDurableExecutionClient"/> of
/// the functions it runs. Every state change is load → pure transition → one atomic, version-checked
/// commit; a lost race is recomputed.
/// </summary>
public sealed partial class DurableEngine : IDurableExecutionClient, IAsyncDisposable
{
    private readonly IExecutionStore _store;
    private readonly DurablyOptions _options;
    private readonly ILogger _logger;
    private readonly ActivityTracker _activity = new();
    private readonly ExecutionCache _cache = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _closeWaiters = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Creates an engine; call <see cref="StartAsync"/> to run its dispatcher.</summary>
    public DurableEngine(IExecutionStore store, FunctionRegistry functions, TimeProvider timeProvider, DurablyOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        Functions = functions;
        TimeProvider = timeProvider;
        _options = options ?? new DurablyOptions();
        RequireAtLeastOne(nameof(DurablyOptions.MaxOperationsPerExecution), _options.MaxOperationsPerExecution);
        RequireAtLeastOne(nameof(DurablyOptions.MaxBytesWrittenPerExecution), _options.MaxBytesWrittenPerExecution);
        if (_options.MaxInvocationsPerExecution is { } maxInvocations)
        {
            RequireAtLeastOne(nameof(DurablyOptions.MaxInvocationsPerExecution), maxInvocations);
        }

        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Durably.Engine");
        Changes = new ExecutionChangeFeed(timeProvider);
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

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    private static void RequireAtLeastOne(string option, long value)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(option, value, $"DurablyOptions.{option} must be at least 1; got {value}.");
        }
    }

    /// <summary>Starts an execution of <paramref name="functionName"/> (name, <c>name:version</c> or ARN), idempotently by name (PROTOCOL.md §2.1).</summary>
    /// <exception cref="DurableExecutionAlreadyStartedException">The name is taken by an execution with another input.</exception>
    public async Task<StartExecutionResult> StartExecutionAsync(
        string functionName, string? inputPayload, string? executionName = null, string? qualifier = null, CancellationToken cancellationToken = default)
    {
        RegisteredFunction function = Functions.Resolve(functionName, qualifier);
        if (executionName is not null)
        {
            EngineLimits.CheckId("DurableExecutionName", executionName);
        }

        long inputBytes = EngineLimits.PayloadBytes(inputPayload);
        if (inputBytes > EngineLimits.MaxPayloadBytes)
        {
            throw ServiceErrorCodes.TooLarge($"The input payload exceeds {EngineLimits.MaxPayloadBytes} bytes (256 KiB).");
        }

        if (inputBytes > _options.MaxBytesWrittenPerExecution)
        {
            throw ServiceErrorCodes.InvalidParameter(
                $"The input payload is {inputBytes} bytes; the limit is {_options.MaxBytesWrittenPerExecution} bytes written per execution.");
        }

        // Time-ordered ids: the rows of executions running together sit side by side in the store's keyed tables,
        // so one group commit writes a few shared pages rather than a few pages per execution.
        DateTimeOffset now = Now;
        string executionId = Guid.CreateVersion7(now).ToString();
        var spec = new NewExecution(executionId, executionName ?? executionId, function.Name, function.Version,
            FunctionArnOf(function), inputPayload, ToSeconds(function.ExecutionTimeout), function.RetentionPeriodInDays);
        ExecutionWorkspace creation = ExecutionTransitions.CreateWorkspace(spec, now, invokeNow: true);
        InvocationClaim? claim = TryClaimDueInvocation(creation);
        ExecutionChange change = creation.ToChange();
        CreateExecutionResult created = await _store.CreateExecutionAsync(change, now, cancellationToken).ConfigureAwait(false);
        ExecutionRecord execution = created.Execution;
        if (!created.Created)
        {
            // "Same input" is byte-identical input; anything else is a name collision (rows 4 and 6).
            if (!string.Equals(execution.InputPayload, inputPayload, StringComparison.Ordinal))
            {
                throw new DurableExecutionAlreadyStartedException(
                    $"Execution '{execution.ExecutionName}' of function '{execution.FunctionName}' already exists ({execution.Status.ToString().ToUpperInvariant()}) with a different input.");
            }

            return new StartExecutionResult(execution.DurableExecutionArn, AlreadyExisted: true);
        }

        _logger.ExecutionStarted(execution.DurableExecutionArn);
        Telemetry.EngineMetrics.Committed(change.Events);
        Changes.Publish(execution, change.StatusEvents);
        if (claim is not null)
        {
            _cache.AddCreated(change);
            RunClaimed(execution, claim);
        }

        Wake();
        return new StartExecutionResult(execution.DurableExecutionArn, AlreadyExisted: false);
    }

    /// <summary>StopDurableExecution: idempotent; returns the stop (or existing end) time.</summary>
    public async Task<DateTimeOffset> StopExecutionAsync(string durableExecutionArn, ErrorObject? error = null, CancellationToken cancellationToken = default)
    {
        EngineLimits.CheckError("The stop error", error);
        string executionId = RequireExecutionId(durableExecutionArn);
        DateTimeOffset stopped = default;
        await MutateAsync(executionId, [], workspace =>
        {
            ThrowIfExpired(workspace.Execution);
            stopped = ExecutionTransitions.Stop(workspace, error, Now);
        }, cancellationToken).ConfigureAwait(false);
        return stopped;
    }

    /// <summary>SendDurableExecutionCallbackSuccess: <paramref name="result"/> is stored verbatim.</summary>
    public Task SendCallbackSuccessAsync(string callbackId, string? result, CancellationToken cancellationToken = default) =>
        MutateCallbackAsync(callbackId, (workspace, operationId) => OperationEventTransitions.SucceedCallback(workspace, operationId, result, _options.MaxBytesWrittenPerExecution, Now), cancellationToken);

    /// <summary>SendDurableExecutionCallbackFailure.</summary>
    public Task SendCallbackFailureAsync(string callbackId, ErrorObject? error, CancellationToken cancellationToken = default) =>
        MutateCallbackAsync(callbackId, (workspace, operationId) => OperationEventTransitions.FailCallback(workspace, operationId, error, _options.MaxBytesWrittenPerExecution, Now), cancellationToken);

    /// <summary>SendDurableExecutionCallbackHeartbeat: resets the heartbeat timer.</summary>
    public Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken = default) =>
        MutateCallbackAsync(callbackId, (workspace, operationId) => OperationEventTransitions.HeartbeatCallback(workspace, operationId, Now), cancellationToken);

    /// <summary>
    /// Completes when the execution is closed; returns its description. On a store several nodes share, a close committed
    /// by another node is seen within the store's <see cref="ISharedExecutionStore.PollInterval"/>.
    /// </summary>
    public async Task<DurableExecutionDescription> WaitForCompletionAsync(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        string executionId = RequireExecutionId(durableExecutionArn);
        while (true)
        {
            TaskCompletionSource waiter = _closeWaiters.GetOrAdd(executionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            ExecutionRecord execution = await LoadExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
            if (execution.IsClosed)
            {
                return Describe(execution, includeExecutionData: true);
            }

            if (_store is ISharedExecutionStore shared)
            {
                // Another node may close it: this node's waiter hears only its own commits, so look again now and then.
                await Task.WhenAny(waiter.Task, Task.Delay(shared.PollInterval, TimeProvider, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            else
            {
                await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task MutateCallbackAsync(string callbackId, Action<ExecutionWorkspace, string> transition, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(callbackId) || callbackId.Length > 1024)
        {
            throw ServiceErrorCodes.InvalidParameter("CallbackId must be 1-1024 characters.");
        }

        CallbackLocation location = await _store.FindCallbackAsync(callbackId, cancellationToken).ConfigureAwait(false)
            ?? throw ServiceErrorCodes.NotFound("The callback does not exist.");
        await MutateAsync(location.ExecutionId, [location.OperationId], workspace =>
        {
            // The callbacks of an execution past its retention are gone with it, purged or not yet.
            if (workspace.Execution.IsExpiredAt(Now))
            {
                throw ServiceErrorCodes.NotFound("The callback does not exist.");
            }

            transition(workspace, location.OperationId);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Load → transition → version-checked commit, recomputed when another change won the race.</summary>
    private async Task<ExecutionWorkspace> MutateAsync(
        string executionId, IReadOnlyCollection<string> operationIds, Action<ExecutionWorkspace> transition, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(operationIds, StringComparer.Ordinal) { executionId };
        while (true)
        {
            ExecutionSnapshot snapshot = await LoadAsync(executionId, ids, cancellationToken).ConfigureAwait(false)
                ?? throw ExecutionNotFound(executionId);
            var workspace = new ExecutionWorkspace(snapshot);
            transition(workspace);
            if (!workspace.HasChanges || await CommitAsync(workspace, cancellationToken).ConfigureAwait(false))
            {
                return workspace;
            }
        }
    }

    /// <summary>A store load, served from <see cref="_cache"/> when the execution is cached.</summary>
    private Task<ExecutionSnapshot?> LoadAsync(string executionId, IReadOnlyCollection<string> operationIds, CancellationToken cancellationToken) =>
        _cache.TryLoad(executionId, operationIds) is { } cached ? Task.FromResult<ExecutionSnapshot?>(cached) : _store.LoadAsync(executionId, operationIds, cancellationToken);

    private async Task<bool> CommitAsync(ExecutionWorkspace workspace, CancellationToken cancellationToken)
    {
        ExecutionChange change = workspace.ToChange();
        if (!await _store.TryCommitAsync(change, cancellationToken).ConfigureAwait(false))
        {
            _cache.Remove(change.Execution.ExecutionId);
            return false;
        }

        _cache.Committed(change);
        Telemetry.EngineMetrics.Committed(change.Events);
        Telemetry.EngineTelemetry.Closed(change, Functions);
        if (change.Events.Count > 0)
        {
            // What a live view shows changed: new history events (every status change writes one).
            Changes.Publish(change.Execution, change.StatusEvents);
        }

        if (workspace.SetAnyTimer)
        {
            Wake();
        }

        if (workspace.ClosedExecution && _closeWaiters.TryRemove(workspace.Execution.ExecutionId, out TaskCompletionSource? waiter))
        {
            waiter.TrySetResult();
        }

        return true;
    }

    /// <summary>Loads an execution's header; 404 when it is unknown or past its retention (not purged yet, but gone all the same).</summary>
    private async Task<ExecutionRecord> LoadExecutionAsync(string executionId, CancellationToken cancellationToken)
    {
        ExecutionSnapshot snapshot = await _store.LoadAsync(executionId, [], cancellationToken).ConfigureAwait(false)
            ?? throw ExecutionNotFound(executionId);
        ThrowIfExpired(snapshot.Execution);
        return snapshot.Execution;
    }

    private void ThrowIfExpired(ExecutionRecord execution)
    {
        if (execution.IsExpiredAt(Now))
        {
            throw ExecutionNotFound(execution.ExecutionId);
        }
    }

    private static DurableServiceException ExecutionNotFound(string executionId) => ServiceErrorCodes.NotFound($"Execution not found: {ServiceErrorCodes.Shorten(executionId)}");

    private static string RequireExecutionId(string durableExecutionArn) =>
        ExecutionArn.TryGetExecutionId(durableExecutionArn, out string? executionId)
            ? executionId
            : throw ServiceErrorCodes.InvalidParameter($"'{ServiceErrorCodes.Shorten(durableExecutionArn)}' is not a durable execution ARN.");

    private string FunctionArnOf(RegisteredFunction function) =>
        ExecutionArn.FunctionArn(_options.Region, _options.Account, function.Name, function.Version);

    private static int ToSeconds(TimeSpan duration) => (int)Math.Ceiling(duration.TotalSeconds);
}
