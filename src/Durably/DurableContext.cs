using System.Text;
using Durably.Logging;
using Durably.Protocol;
using Durably.Replay;
using Durably.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Durably;

/// <summary>
/// The context a function (or a child context, branch or item) runs with: ids, the determinism
/// check, name and payload validation, logging and child creation. Each durable call takes the
/// next id of this context and looks it up in the log; what it does with the record is decided by
/// <see cref="ReplayDecisions"/> and performed by the operation's partial file under Operations/
/// (one per operation kind), with the I/O of Operations/Effects.cs.
/// </summary>
internal sealed partial class DurableContext : IDurableContext, IExecutionContext
{
    /// <summary>Per-operation payload limit (PROTOCOL.md §3.5).</summary>
    internal const int MaxPayloadBytes = 256 * 1024;

    /// <summary>The longest operation name (printable ASCII).</summary>
    internal const int MaxNameLength = 256;

    private static readonly StepConfig DefaultStepConfig = new();

    private readonly Invocation _invocation;
    private readonly DurableContext? _parent;
    private readonly string? _idPrefix;
    private readonly string? _parentIdForOperations;
    private readonly OperationSpan? _span;
    private readonly DurableContext? _replayCounterOwner;
    private LoggerConfig _loggerConfig;
    private ILogger _logger;
    private int _sequence;
    private int _unvisitedRecorded;
    private volatile bool _replaying;
    private volatile bool _abandoned;

    /// <summary>
    /// Names this context gives operations that earlier versions recorded without a name (a wait-for-callback's inner
    /// callback and submitter); replay accepts such an unnamed recording for them.
    /// </summary>
    private string[] _namesOnceRecordedUnnamed = [];

    private DurableContext(Invocation invocation, DurableContext? parent, string? idPrefix, string? parentIdForOperations, LoggerConfig loggerConfig,
        OperationSpan? span = null, DurableContext? replayCounterOwner = null)
    {
        _span = span;
        _invocation = invocation;
        _parent = parent;
        _idPrefix = idPrefix;
        _parentIdForOperations = parentIdForOperations;
        _replayCounterOwner = replayCounterOwner;
        _unvisitedRecorded = replayCounterOwner is null ? invocation.Log.RecordedChildren(parentIdForOperations) : 0;
        _replaying = Volatile.Read(ref ReplayCounter._unvisitedRecorded) > 0;
        _loggerConfig = loggerConfig;
        _logger = CreateLogger(loggerConfig, () => _replaying, []);
    }

    /// <summary>The root context of an invocation.</summary>
    public static DurableContext CreateRoot(Invocation invocation) => new(invocation, null, null, null, new LoggerConfig());

    public ILogger Logger => _logger;

    public string DurableExecutionArn => _invocation.DurableExecutionArn;

    public IExecutionContext ExecutionContext => this;

    string IExecutionContext.DurableExecutionArn => _invocation.DurableExecutionArn;

    public void ConfigureLogger(LoggerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _loggerConfig = config;
        _logger = CreateLogger(config, () => _replaying, []);
    }

    /// <summary>
    /// A context whose operations get ids under <paramref name="idPrefix"/> and ParentId <paramref name="parentIdForOperations"/>,
    /// and whose operation spans hang under <paramref name="span"/>.
    /// </summary>
    private DurableContext CreateChild(string idPrefix, string parentIdForOperations, OperationSpan? span) =>
        new(_invocation, this, idPrefix, parentIdForOperations, _loggerConfig, span);

    /// <summary>
    /// A virtual child (<see cref="NestingType.Flat"/>): ids under <paramref name="idPrefix"/>, operations parented like
    /// this context's, and replay counted with this context's (they share the same recorded parent).
    /// </summary>
    private DurableContext CreateVirtualChild(string idPrefix, OperationSpan? span) =>
        new(_invocation, this, idPrefix, _parentIdForOperations, _loggerConfig, span ?? _span, ReplayCounter);

    /// <summary>The context that counts the recorded operations under this context's ParentId: itself, or for a virtual child its owner's.</summary>
    private DurableContext ReplayCounter => _replayCounterOwner ?? this;

    /// <summary>True once an enclosing parallel or map completed early: this context checkpoints nothing more.</summary>
    private bool IsAbandoned => _abandoned || (_parent?.IsAbandoned ?? false);

    private void Abandon() => _abandoned = true;

    private ReplayAwareLogger CreateLogger(LoggerConfig config, Func<bool> isReplaying, IEnumerable<KeyValuePair<string, object?>> extraScope)
    {
        ILogger inner = config.CustomLogger
            ?? _invocation.LoggerFactory?.CreateLogger(_invocation.LoggerCategory)
            ?? NullLogger.Instance;
        List<KeyValuePair<string, object?>> scope = [new("DurableExecutionArn", _invocation.DurableExecutionArn), new("TraceId", _invocation.TraceId), .. extraScope];
        return new ReplayAwareLogger(inner, isReplaying, config.ModeAware, scope);
    }

    /// <summary>Takes the next id (or <paramref name="sequence"/>), reads the log, and checks determinism.</summary>
    private (string Id, Operation? Recorded) Begin(OperationType type, string? name, string? subType, int? sequence = null)
    {
        int number = sequence ?? Interlocked.Increment(ref _sequence);
        string id = OperationIds.For(_idPrefix, number);
        Operation? recorded = _invocation.Log.Get(id);
        if (recorded is not null)
        {
            bool unnamedRecordingAccepted = recorded.Name is null && name is not null && _namesOnceRecordedUnnamed.Contains(name);
            if (ReplayDecisions.Check(recorded, number, type, unnamedRecordingAccepted ? null : name, subType) is { } mismatch)
            {
                var exception = new NonDeterministicExecutionException(mismatch with { CallSite = CallSite.Find() });

                // Fails the execution even if user code catches the exception.
                _invocation.Fail(exception);
                throw exception;
            }

            // Replaying until the code has visited every operation the log held for this context.
            Interlocked.Decrement(ref ReplayCounter._unvisitedRecorded);
        }

        _replaying = recorded is not null && Volatile.Read(ref ReplayCounter._unvisitedRecorded) > 0;
        return (id, recorded);
    }

    private static void ValidateName(string? name, string paramName = "name")
    {
        if (name is null)
        {
            return;
        }

        if (name.Length is 0 or > MaxNameLength || name.Any(c => c is < '\x20' or > '\x7E'))
        {
            throw new ArgumentException(
                $"An operation name must be 1 to {MaxNameLength} printable ASCII characters (0x20-0x7E); got \"{name}\" ({name.Length} characters). Pass null for an unnamed operation.",
                paramName);
        }
    }

    /// <summary>Serializes and enforces the per-operation payload limit.</summary>
    private static string? SerializeWithinLimit<T>(IDurableSerializer serializer, T value, out ErrorObject? tooLarge)
    {
        string? payload = serializer.Serialize(value);
        int bytes = payload is null ? 0 : Encoding.UTF8.GetByteCount(payload);
        tooLarge = bytes > MaxPayloadBytes
            ? new ErrorObject
            {
                ErrorType = "PayloadSizeExceeded",
                ErrorMessage = $"The operation's serialized result is {bytes} bytes; the limit is {MaxPayloadBytes} bytes (256 KiB).",
            }
            : null;
        return payload;
    }

    private static bool IsOverLimit(string? payload) =>
        payload is not null && payload.Length > MaxPayloadBytes / 4 && Encoding.UTF8.GetByteCount(payload) > MaxPayloadBytes;

    /// <summary>Exceptions that end the invocation rather than fail an operation.</summary>
    private bool IsFatal(Exception exception) =>
        exception is NonDeterministicExecutionException or CallerCancelledException || _invocation.Ended.IsCompleted;

    private static ErrorObject ToError(Exception exception) => exception is DurableExecutionException durable
        ? durable.Error
        : ErrorObject.FromException(exception);

    private sealed class StepContext(ILogger logger, int attemptNumber, string operationId) : IStepContext
    {
        public ILogger Logger => logger;

        public int AttemptNumber => attemptNumber;

        public string OperationId => operationId;
    }

    private StepContext CreateStepContext(string id, string? name, int attempt) => new(
        CreateLogger(_loggerConfig, static () => false,
            [new("OperationId", id), new("OperationName", name), new("Attempt", attempt)]),
        attempt, id);
}
