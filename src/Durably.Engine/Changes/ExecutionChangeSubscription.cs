namespace Durably.Engine;

/// <summary>A reader of <see cref="ExecutionChangeFeed"/>: a position in the feed and a filter. Not thread-safe; dispose it to unsubscribe.</summary>
public sealed class ExecutionChangeSubscription : IDisposable
{
    private const int MaxBatch = 500;

    private readonly ExecutionChangeFeed _feed;
    private readonly ExecutionChangeFilter _filter;
    private readonly Action _unsubscribe;
    private long _position;
    private bool _disposed;

    internal ExecutionChangeSubscription(ExecutionChangeFeed feed, ExecutionChangeFilter filter, long position, Action unsubscribe)
    {
        _feed = feed;
        _filter = filter;
        _position = position;
        _unsubscribe = unsubscribe;
    }

    /// <summary>The sequence number of the last notice read (or skipped by the filter).</summary>
    public long Position => _position;

    /// <summary>
    /// The next notices that match the filter, or a reset; waits for them at most <paramref name="maxWait"/> (measured on the
    /// engine's <see cref="TimeProvider"/>) and returns an empty batch when none came.
    /// </summary>
    public async Task<ExecutionChangeBatch> ReadAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long started = _feed.TimeProvider.GetTimestamp();
        while (true)
        {
            ExecutionChangeBatch batch = _feed.Read(ref _position, _filter, MaxBatch, out Task nextChange);
            if (batch.Reset || batch.Notices.Count > 0)
            {
                return batch;
            }

            TimeSpan left = maxWait - _feed.TimeProvider.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return batch;
            }

            try
            {
                await nextChange.WaitAsync(left, _feed.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return batch;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _unsubscribe();
        }
    }
}
