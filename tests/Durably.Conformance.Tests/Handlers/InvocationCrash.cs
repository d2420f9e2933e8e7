using Durably.Protocol;

namespace Durably.Conformance.Handlers;

/// <summary>
/// Stands for <c>process.exit</c> inside a step (1-17). In process there is no process to kill, so
/// the harness emulates what the service observes when the runtime dies: the invocation never
/// returns an output, and nothing the dying code does afterwards reaches the backend. The function's
/// invocation handler is wrapped (<see cref="Wrap"/>) with a per-invocation scope; the step calls
/// <see cref="CrashAsync"/>, which fences the checkpoint client, makes the invocation handler throw
/// <see cref="SimulatedInvocationCrashException"/> to the engine (an invocation failure without
/// output, which the engine records as <c>Runtime.ExitError</c>), and never returns.
/// </summary>
public static class InvocationCrash
{
    private static readonly AsyncLocal<CrashScope?> Current = new();

    /// <summary>Crashes the current invocation; the returned task never completes.</summary>
    public static Task<T> CrashAsync<T>()
    {
        CrashScope scope = Current.Value
            ?? throw new InvalidOperationException("InvocationCrash.CrashAsync called outside a crash-aware invocation handler.");
        scope.Crash();
        return new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously).Task;
    }

    /// <summary>Wraps an invocation delegate (input, client, token → output) so that <see cref="CrashAsync"/> can kill it.</summary>
    public static Func<TInput, IDurableExecutionClient, CancellationToken, Task<TOutput>> Wrap<TInput, TOutput>(
        Func<TInput, IDurableExecutionClient, CancellationToken, Task<TOutput>> handler)
        => async (input, client, cancellationToken) =>
        {
            var scope = new CrashScope();
            var fenced = new FencedClient(client, scope);
            Task<TOutput> run;
            CrashScope? previous = Current.Value;
            Current.Value = scope;
            try
            {
                run = handler(input, fenced, cancellationToken);
            }
            finally
            {
                Current.Value = previous;
            }

            Task finished = await Task.WhenAny(run, scope.Crashed).ConfigureAwait(false);
            if (finished == scope.Crashed)
            {
                // The "process" is gone: abandon the invocation (its client is fenced).
                _ = run.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                throw new SimulatedInvocationCrashException();
            }

            return await run.ConfigureAwait(false);
        };

    private sealed class CrashScope
    {
        private readonly TaskCompletionSource _crashed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Crashed => _crashed.Task;

        public bool IsCrashed => _crashed.Task.IsCompleted;

        public void Crash() => _crashed.TrySetResult();
    }

    /// <summary>After the crash nothing the abandoned invocation sends reaches the backend.</summary>
    private sealed class FencedClient(IDurableExecutionClient inner, CrashScope scope) : IDurableExecutionClient
    {
        public Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request, CancellationToken cancellationToken = default)
            => scope.IsCrashed ? new TaskCompletionSource<CheckpointDurableExecutionResponse>().Task : inner.CheckpointAsync(request, cancellationToken);

        public Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request, CancellationToken cancellationToken = default)
            => scope.IsCrashed ? new TaskCompletionSource<GetDurableExecutionStateResponse>().Task : inner.GetExecutionStateAsync(request, cancellationToken);
    }
}

/// <summary>What the harness throws to the engine in place of a dead runtime.</summary>
public sealed class SimulatedInvocationCrashException : Exception
{
    public SimulatedInvocationCrashException()
        : base("Simulated Lambda runtime crash (process.exit) inside a step: the invocation ended without output.")
    {
    }
}
