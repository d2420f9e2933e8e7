using Durably.Protocol;

namespace Durably;

/// <summary>Runs a durable function for one invocation: replays the log, executes new operations, checkpoints.</summary>
public static class DurableFunction
{
    /// <summary>Runs <paramref name="workflow"/> for the invocation <paramref name="input"/>.</summary>
    public static Task<DurableExecutionInvocationOutput> WrapAsync<TInput, TOutput>(
        Func<TInput, IDurableContext, Task<TOutput>> workflow,
        DurableExecutionInvocationInput input, IDurableExecutionClient client,
        DurableFunctionOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException("SDK core in progress");

    /// <summary>Runs <paramref name="workflow"/> (no result) for the invocation <paramref name="input"/>.</summary>
    public static Task<DurableExecutionInvocationOutput> WrapAsync<TInput>(
        Func<TInput, IDurableContext, Task> workflow,
        DurableExecutionInvocationInput input, IDurableExecutionClient client,
        DurableFunctionOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException("SDK core in progress");
}
