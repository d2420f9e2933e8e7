using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Durably;

/// <summary>
/// The durable context a function receives. Every call records an operation in the checkpoint
/// log; on replay, recorded operations return their recorded outcome without running again.
/// Every method takes a trailing <see cref="CancellationToken"/> (AWS's .NET SDK shape): a token
/// cancelled before the call, or while the caller awaits, throws <see cref="OperationCanceledException"/>;
/// the token also reaches the user function (linked with the invocation's own token), and an
/// operation cancelled through it records no outcome.
/// </summary>
public interface IDurableContext
{
    /// <summary>Replay-aware logger: silent while replaying.</summary>
    ILogger Logger { get; }

    /// <summary>The running execution's ARN.</summary>
    string DurableExecutionArn { get; }

    /// <summary>Metadata of the running execution (AWS's shape: <c>context.ExecutionContext.DurableExecutionArn</c>).</summary>
    IExecutionContext ExecutionContext { get; }

    /// <summary>Replaces the logger of this context and of contexts and steps created from it.</summary>
    void ConfigureLogger(LoggerConfig config);

    /// <summary>Runs <paramref name="func"/> as a checkpointed step.</summary>
    Task<T> StepAsync<T>(Func<IStepContext, CancellationToken, Task<T>> func, string? name = null, StepConfig? config = null,
        CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> as a checkpointed step without a result.</summary>
    Task StepAsync(Func<IStepContext, CancellationToken, Task> func, string? name = null, StepConfig? config = null,
        CancellationToken cancellationToken = default);

    /// <summary>Waits durably; the execution suspends without holding compute.</summary>
    Task WaitAsync(TimeSpan duration, string? name = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a callback that an external system answers through the callback API.</summary>
    Task<ICallback<T>> CreateCallbackAsync<T>(string? name = null, CallbackConfig? config = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a callback, hands its id to <paramref name="submitter"/> (run as a step) and waits for the answer.</summary>
    [OverloadResolutionPriority(1)]
    Task<T> WaitForCallbackAsync<T>(Func<string, IWaitForCallbackContext, CancellationToken, Task> submitter, string? name = null,
        WaitForCallbackConfig? config = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// As the <see cref="IWaitForCallbackContext"/> overload, for a submitter that takes the richer <see cref="IStepContext"/>
    /// (the submitter runs as a step, so it receives one).
    /// </summary>
    Task<T> WaitForCallbackAsync<T>(Func<string, IStepContext, CancellationToken, Task> submitter, string? name = null,
        WaitForCallbackConfig? config = null, CancellationToken cancellationToken = default);

    /// <summary>Polls <paramref name="check"/> with the wait strategy's delays until it says stop.</summary>
    [OverloadResolutionPriority(1)]
    Task<TState> WaitForConditionAsync<TState>(Func<TState, IConditionCheckContext, CancellationToken, Task<TState>> check,
        WaitForConditionConfig<TState> config, string? name = null, CancellationToken cancellationToken = default);

    /// <summary>As the <see cref="IConditionCheckContext"/> overload, for a check that takes the richer <see cref="IStepContext"/>.</summary>
    Task<TState> WaitForConditionAsync<TState>(Func<TState, IStepContext, CancellationToken, Task<TState>> check,
        WaitForConditionConfig<TState> config, string? name = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="func"/> in a child context whose result is checkpointed as one operation
    /// (with <see cref="NestingType.Flat"/>: a virtual context that records no operation of its own).
    /// </summary>
    Task<T> RunInChildContextAsync<T>(Func<IDurableContext, CancellationToken, Task<T>> func, string? name = null, ChildContextConfig? config = null,
        CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> in a child context without a result.</summary>
    Task RunInChildContextAsync(Func<IDurableContext, CancellationToken, Task> func, string? name = null, ChildContextConfig? config = null,
        CancellationToken cancellationToken = default);

    /// <summary>Runs branches concurrently, each in its own child context.</summary>
    Task<IBatchResult<T>> ParallelAsync<T>(IReadOnlyList<Func<IDurableContext, CancellationToken, Task<T>>> branches, string? name = null,
        ParallelConfig? config = null, CancellationToken cancellationToken = default);

    /// <summary>Runs named branches concurrently, each in its own child context.</summary>
    Task<IBatchResult<T>> ParallelAsync<T>(IReadOnlyList<DurableBranch<T>> branches, string? name = null, ParallelConfig? config = null,
        CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="func"/> for every item concurrently, each in its own child context.</summary>
    Task<IBatchResult<TResult>> MapAsync<TItem, TResult>(IReadOnlyList<TItem> items, Func<IDurableContext, TItem, int, CancellationToken, Task<TResult>> func,
        string? name = null, MapConfig<TItem>? config = null, CancellationToken cancellationToken = default);

    /// <summary>As the other overload, with the function also receiving the whole item list (AWS's shape).</summary>
    Task<IBatchResult<TResult>> MapAsync<TItem, TResult>(IReadOnlyList<TItem> items,
        Func<IDurableContext, TItem, int, IReadOnlyList<TItem>, CancellationToken, Task<TResult>> func,
        string? name = null, MapConfig<TItem>? config = null, CancellationToken cancellationToken = default);

    /// <summary>Starts another durable function and waits for its result.</summary>
    Task<TResult> InvokeAsync<TPayload, TResult>(string functionName, TPayload payload, string? name = null, InvokeConfig? config = null,
        CancellationToken cancellationToken = default);
}

/// <summary>Metadata of the running execution.</summary>
public interface IExecutionContext
{
    /// <summary>The running execution's ARN.</summary>
    string DurableExecutionArn { get; }
}

/// <summary>What a wait-for-callback submitter receives.</summary>
public interface IWaitForCallbackContext
{
    /// <summary>Replay-aware logger scoped to the submitter step.</summary>
    ILogger Logger { get; }
}

/// <summary>What a wait-for-condition check receives.</summary>
public interface IConditionCheckContext
{
    /// <summary>Replay-aware logger scoped to the check.</summary>
    ILogger Logger { get; }

    /// <summary>1 on the first check.</summary>
    int AttemptNumber { get; }
}

/// <summary>What a step body receives; a wait-for-callback submitter and a wait-for-condition check receive one too.</summary>
public interface IStepContext : IWaitForCallbackContext, IConditionCheckContext
{
    /// <summary>Replay-aware logger scoped with the execution ARN, operation id and name, and attempt.</summary>
    new ILogger Logger { get; }

    /// <summary>1 on the first attempt.</summary>
    new int AttemptNumber { get; }

    /// <summary>Stable across attempts and replays: a natural idempotency key.</summary>
    string OperationId { get; }
}

/// <summary>A callback created by <see cref="IDurableContext.CreateCallbackAsync{T}"/>.</summary>
public interface ICallback<T>
{
    /// <summary>The id to answer the callback with.</summary>
    string CallbackId { get; }

    /// <summary>Waits for the answer; throws <see cref="CallbackFailedException"/> or <see cref="CallbackTimeoutException"/>.</summary>
    Task<T> GetResultAsync(CancellationToken cancellationToken = default);
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
