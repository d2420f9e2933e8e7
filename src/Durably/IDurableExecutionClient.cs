using Durably.Protocol;

namespace Durably;

/// <summary>The two calls of the data plane that the SDK makes (CheckpointDurableExecution, GetDurableExecutionState).</summary>
public interface IDurableExecutionClient
{
    /// <summary>Applies updates atomically and returns a new token plus changed operations.</summary>
    Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads a page of the execution's operations.</summary>
    Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Options of a function host.</summary>
public sealed record DurableFunctionOptions
{
    /// <summary>Null: <see cref="JsonDurableSerializer.Default"/>.</summary>
    public IDurableSerializer? Serializer { get; init; }

    /// <summary>Where context and step loggers write.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The function's name, for logger categories (<c>Durably.Function.&lt;name&gt;</c>).</summary>
    public string? FunctionName { get; init; }

    /// <summary>Time source for the SDK (timestamps of polls); null is the system clock.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Which trace views to emit; null is <see cref="Telemetry.DurableTracingOptions.Default"/>.</summary>
    public Telemetry.DurableTracingOptions? Tracing { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> the invocation arrived with (an HTTP function's request header): the parent of
    /// the <c>Invocation</c> span when no span is current.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>
    /// Replay only (<c>Durably.Testing.ReplayTester</c>): the invocation never checkpoints nor runs a step body the log
    /// did not complete; each operation that would waits there instead, so the invocation ends PENDING where the
    /// recording ends.
    /// </summary>
    internal bool StopsAtRecordingEnd { get; init; }
}
