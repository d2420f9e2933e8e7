namespace Durably.Replay;

/// <summary>
/// Polls the service with empty checkpoints while some branch is blocked on a service-side
/// event but another branch keeps the invocation from suspending (a long step, say), so a wait
/// that ends or a callback that is answered meanwhile is delivered without suspending — as the
/// JS SDK does: first at the earliest known due time, then backing off by a second up to 10 s.
/// </summary>
internal sealed class ChangePoller(TimeProvider time, Action poll) : IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private readonly Dictionary<string, DateTimeOffset?> _blocked = [];
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private int _pollsWithoutChange;
    private bool _disposed;

    public void Blocked(string id, DateTimeOffset? dueAt)
    {
        lock (_lock)
        {
            _blocked[id] = dueAt;
        }
    }

    public void Unblocked(string id)
    {
        lock (_lock)
        {
            _blocked.Remove(id);
            _pollsWithoutChange = 0;
        }
    }

    /// <summary>Schedules the next poll unless one is already scheduled.</summary>
    public void Arm()
    {
        lock (_lock)
        {
            if (_disposed || _timer is not null || _blocked.Count == 0)
            {
                return;
            }

            DateTimeOffset now = time.GetUtcNow();
            DateTimeOffset? earliest = _blocked.Values.Where(d => d is not null).Min();
            TimeSpan delay = earliest is { } due && due > now
                ? due - now
                : TimeSpan.FromSeconds(Math.Min(1 + _pollsWithoutChange, MaxBackoff.TotalSeconds));
            _timer = time.CreateTimer(_ => Fire(), null, delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Fire()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            _pollsWithoutChange++;
            if (_disposed)
            {
                return;
            }
        }

        poll();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }
}
