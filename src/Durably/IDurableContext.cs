using Microsoft.Extensions.Logging;

namespace Durably;

/// <summary>
/// The durable context a function receives. Every call records an operation in the checkpoint
/// log; on replay, recorded operations return their recorded outcome without running again.
/// </summary>
public interface IDurableContext
{
    /// <summary>Replay-aware logger: silent while replaying.</summary>
    ILogger Logger { get; }

    /// <summary>The running execution's ARN.</summary>
    string DurableExecutionArn { get; }

    /// <summary>Replaces the logger of this context and of contexts and steps created from it.</summary>
    void ConfigureLogger(LoggerConfig config);

    /// <summary>Runs <paramref name="func"/> as a checkpointed step.</summary>
    Task<T> StepAsync<T>(Func<IStepContext, CancellationToken, Task<T>> func, string? name = null, StepConfig? config = null);

    /// <summary>Runs <paramref name="func"/> as a checkpointed step without a result.</summary>
    Task StepAsync(Func<IStepContext, CancellationToken, Task> func, string? name = null, StepConfig? config = null);

    /// <summary>Waits durably; the execution suspends without holding compute.</summary>
    Task WaitAsync(TimeSpan duration, string? name = null);

    /// <summary>Creates a callback that an external system answers through the callback API.</summary>
    Task<ICallback<T>> CreateCallbackAsync<T>(string? name = null, CallbackConfig? config = null);

    /// <summary>Creates a callback, hands its id to <paramref name="submitter"/> (run as a step) and waits for the answer.</summary>
    Task<T> WaitForCallbackAsync<T>(Func<string, IStepContext, CancellationToken, Task> submitter, string? name = null, WaitForCallbackConfig? config = null);

    /// <summary>Polls <paramref name="check"/> with the wait strategy's delays until it says stop.</summary>
    Task<TState> WaitForConditionAsync<TState>(Func<TState, IStepContext, CancellationToken, Task<TState>> check, WaitForConditionConfig<TState> config, string? name = null);

    /// <summary>Runs <paramref name="func"/> in a child context whose result is checkpointed as one operation.</summary>
    Task<T> RunInChildContextAsync<T>(Func<IDurableContext, CancellationToken, Task<T>> func, string? name = null, ChildContextConfig? config = null);

    /// <summary>Runs <paramref name="func"/> in a child context without a result.</summary>
    Task RunInChildContextAsync(Func<IDurableContext, CancellationToken, Task> func, string? name = null, ChildContextConfig? config = null);

    /// <summary>Runs branches concurrently, each in its own child context.</summary>
    Task<IBatchResult<T>> ParallelAsync<T>(IReadOnlyList<Func<IDurableContext, CancellationToken, Task<T>>> branches, string? name = null, ParallelConfig? config = null);

    /// <summary>Runs named branches concurrently, each in its own child context.</summary>
    Task<IBatchResult<T>> ParallelAsync<T>(IReadOnlyList<DurableBranch<T>> branches, string? name = null, ParallelConfig? config = null);

    /// <summary>Runs <paramref name="func"/> for every item concurrently, each in its own child context.</summary>
    Task<IBatchResult<TResult>> MapAsync<TItem, TResult>(IReadOnlyList<TItem> items, Func<IDurableContext, TItem, int, CancellationToken, Task<TResult>> func, string? name = null, MapConfig<TItem>? config = null);

    /// <summary>Starts another durable function and waits for its result.</summary>
    Task<TResult> InvokeAsync<TPayload, TResult>(string functionName, TPayload payload, string? name = null, InvokeConfig? config = null);
}

/// <summary>What a step body receives.</summary>
public interface IStepContext
{
    /// <summary>Replay-aware logger scoped with the execution ARN, operation id and name, and attempt.</summary>
    ILogger Logger { get; }

    /// <summary>1 on the first attempt.</summary>
    int AttemptNumber { get; }

    /// <summary>Stable across attempts and replays: a natural idempotency key.</summary>
    string OperationId { get; }
}

/// <summary>A callback created by <see cref="IDurableContext.CreateCallbackAsync{T}"/>.</summary>
public interface ICallback<T>
{
    /// <summary>The id to answer the callback with.</summary>
    string CallbackId { get; }

    /// <summary>Waits for the answer; throws <see cref="CallbackFailedException"/> or <see cref="CallbackTimeoutException"/>.</summary>
    Task<T> GetResultAsync();
}

/// <summary>A named parallel branch.</summary>
public sealed record DurableBranch<T>(string? Name, Func<IDurableContext, CancellationToken, Task<T>> Func);

/// <summary>Logger configuration of a context.</summary>
public sealed record LoggerConfig
{
    /// <summary>The logger to use instead of the host's.</summary>
    public ILogger? CustomLogger { get; init; }

    /// <summary>True: suppress output while replaying.</summary>
    public bool ModeAware { get; init; } = true;
}
