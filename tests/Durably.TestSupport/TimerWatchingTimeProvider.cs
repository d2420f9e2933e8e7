using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Durably.TestSupport;

/// <summary>
/// Fake time that also tells when code under test arms a timer of a given length, so a test can move time right
/// after the timer exists instead of moving it in steps and polling in real time.
/// </summary>
public sealed class TimerWatchingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly ConcurrentDictionary<TimeSpan, TaskCompletionSource> _armed = new();

    /// <summary>Completes once a timer due after <paramref name="dueTime"/> has been created (at once if one was).</summary>
    public async Task WhenTimerArmedAsync(TimeSpan dueTime)
    {
        try
        {
            await Signal(dueTime).Task.WaitAsync(EngineIdle.Timeout, TimeProvider.System);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No timer of {dueTime} was armed within {EngineIdle.Timeout.TotalSeconds} s.");
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        Signal(dueTime).TrySetResult();
        return timer;
    }

    private TaskCompletionSource Signal(TimeSpan dueTime) =>
        _armed.GetOrAdd(dueTime, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
