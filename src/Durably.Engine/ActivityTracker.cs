namespace Durably.Engine;

/// <summary>Counts work in progress (dispatcher passes, running invocations) and completes a task whenever it drops to zero.</summary>
internal sealed class ActivityTracker
{
    private readonly Lock _lock = new();
    private int _active;
    private TaskCompletionSource _idle = NewIdleSource(completed: true);

    public bool IsIdle
    {
        get
        {
            lock (_lock)
            {
                return _active == 0;
            }
        }
    }

    public void Enter()
    {
        lock (_lock)
        {
            if (_active++ == 0)
            {
                _idle = NewIdleSource(completed: false);
            }
        }
    }

    public void Exit()
    {
        TaskCompletionSource? toComplete = null;
        lock (_lock)
        {
            if (--_active == 0)
            {
                toComplete = _idle;
            }
        }

        toComplete?.TrySetResult();
    }

    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            return _idle.Task;
        }
    }

    private static TaskCompletionSource NewIdleSource(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }
}
