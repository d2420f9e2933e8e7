namespace Durably;

/// <summary>
/// The caller's <see cref="CancellationToken"/> of a durable call. Checked before the call, linked
/// into the user function's token, and observed while the caller awaits. A user function that
/// stops because of it records nothing: the operation neither fails nor retries, so a later
/// invocation runs it again from what was durable.
/// </summary>
internal sealed partial class DurableContext
{
    /// <summary>The task the caller awaits: completes as cancelled when <paramref name="caller"/> fires first.</summary>
    private static Task<T> Observe<T>(Task<T> operation, CancellationToken caller) =>
        caller.CanBeCanceled ? operation.WaitAsync(caller) : operation;

    /// <inheritdoc cref="Observe{T}(Task{T}, CancellationToken)"/>
    private static Task Observe(Task operation, CancellationToken caller) =>
        caller.CanBeCanceled ? operation.WaitAsync(caller) : operation;

    /// <summary>Runs a user function with the invocation's token linked to the caller's.</summary>
    private static async Task<T> RunLinkedAsync<T>(Func<CancellationToken, Task<T>> body, CancellationToken invocation, CancellationToken caller)
    {
        if (!caller.CanBeCanceled)
        {
            return await body(invocation).ConfigureAwait(false);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(invocation, caller);
        try
        {
            return await body(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (caller.IsCancellationRequested)
        {
            throw new CallerCancelledException(exception, caller);
        }
    }

    private static Func<TContext, CancellationToken, Task<T>> Linked<TContext, T>(Func<TContext, CancellationToken, Task<T>> func, CancellationToken caller) =>
        caller.CanBeCanceled ? (context, invocation) => RunLinkedAsync(token => func(context, token), invocation, caller) : func;

    private static Func<TArg, TContext, CancellationToken, Task<T>> Linked<TArg, TContext, T>(Func<TArg, TContext, CancellationToken, Task<T>> func,
        CancellationToken caller) =>
        caller.CanBeCanceled ? (arg, context, invocation) => RunLinkedAsync(token => func(arg, context, token), invocation, caller) : func;

    private static Func<TArg, TContext, CancellationToken, Task> Linked<TArg, TContext>(Func<TArg, TContext, CancellationToken, Task> func, CancellationToken caller) =>
        caller.CanBeCanceled
            ? (arg, context, invocation) => RunLinkedAsync<object?>(async token =>
            {
                await func(arg, context, token).ConfigureAwait(false);
                return null;
            }, invocation, caller)
            : func;

    /// <summary>A user function stopped because its caller's token was cancelled: ends the operation without recording an outcome.</summary>
    private sealed class CallerCancelledException(OperationCanceledException inner, CancellationToken token)
        : OperationCanceledException(inner.Message, inner, token);
}
