using Durably.Engine;

namespace Durably.TestSupport;

/// <summary>The one way tests wait for the engine to settle: its own idle signal, bounded in time.</summary>
public static class EngineIdle
{
    /// <summary>How long <see cref="WaitUntilIdleAsync"/> waits before it fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Waits until no invocation runs, no dispatcher pass is under way and no wake is pending
    /// (<see cref="DurableEngine.IsIdle"/>); the engine cannot move again without a trigger (a request, time moving).
    /// </summary>
    public static async Task WaitUntilIdleAsync(this DurableEngine engine, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            // Idle may end again before this continuation runs (the signal completes on every drop to zero).
            while (!engine.IsIdle)
            {
                await engine.WhenIdleAsync().WaitAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The engine did not become idle within {Timeout.TotalSeconds} s: an invocation or a dispatcher pass is still running.");
        }
    }
}
