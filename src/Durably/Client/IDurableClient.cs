using Durably.Protocol;

namespace Durably;

/// <summary>Starts and observes durable executions and answers callbacks: in process (engine) or over HTTP.</summary>
public interface IDurableClient
{
    /// <summary>Starts an execution, or returns the existing one of that name when the input is identical.</summary>
    Task<StartExecutionResult> StartAsync<TInput>(string functionName, TInput input, string? executionName = null, CancellationToken cancellationToken = default);

    /// <summary>Describes an execution.</summary>
    Task<DurableExecutionDescription> GetExecutionAsync(string durableExecutionArn, CancellationToken cancellationToken = default);

    /// <summary>Waits until the execution closes and returns its result; throws when it did not succeed.</summary>
    Task<TOutput?> WaitForResultAsync<TOutput>(string durableExecutionArn, CancellationToken cancellationToken = default);

    /// <summary>Answers a callback with success.</summary>
    Task SendCallbackSuccessAsync<T>(string callbackId, T result, CancellationToken cancellationToken = default);

    /// <summary>Answers a callback with failure.</summary>
    Task SendCallbackFailureAsync(string callbackId, ErrorObject? error = null, CancellationToken cancellationToken = default);

    /// <summary>Resets a callback's heartbeat timer.</summary>
    Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken = default);

    /// <summary>Stops an execution (idempotent).</summary>
    Task StopExecutionAsync(string durableExecutionArn, ErrorObject? error = null, CancellationToken cancellationToken = default);

    /// <summary>Reads the whole history of an execution.</summary>
    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string durableExecutionArn, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of a start.</summary>
public sealed record StartExecutionResult(string DurableExecutionArn, bool AlreadyExisted);

/// <summary>The execution closed without succeeding; thrown by <see cref="IDurableClient.WaitForResultAsync{TOutput}"/>.</summary>
public sealed class DurableExecutionFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DurableExecutionFailedException(string durableExecutionArn, ExecutionStatus status, ErrorObject? error)
        : base($"Execution {durableExecutionArn} ended {status}: {error?.ErrorType} {error?.ErrorMessage}".TrimEnd())
    {
        DurableExecutionArn = durableExecutionArn;
        Status = status;
        Error = error;
    }

    /// <summary>The execution.</summary>
    public string DurableExecutionArn { get; }

    /// <summary>Its terminal status.</summary>
    public ExecutionStatus Status { get; }

    /// <summary>Its error.</summary>
    public ErrorObject? Error { get; }
}
