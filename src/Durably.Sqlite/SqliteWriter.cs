namespace Durably.Sqlite;

/// <summary>
/// The single writer: one thread takes every queued request, applies them in one transaction and commits once,
/// so concurrent executions share one sync (group commit). A request whose write throws is undone alone (the batch
/// is redone with a savepoint per request) and the others commit. Each caller's task completes after the commit.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    private readonly object _gate = new();
    private readonly ChangeWriter _changes;
    private readonly int _maxBatchSize;
    private readonly Thread _thread;
    private List<WriteRequest> _queued = [];
    private List<WriteRequest> _taken = [];
    private bool _closed;
    private long _commits;

    public SqliteWriter(ChangeWriter changes, int maxBatchSize)
    {
        _changes = changes;
        _maxBatchSize = maxBatchSize;
        _thread = new Thread(Run) { IsBackground = true, Name = "Durably.Sqlite writer" };
        _thread.Start();
    }

    /// <summary>Transactions committed so far: with a full sync, the number of log syncs the writes cost.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Queues <paramref name="write"/>; the task completes once its transaction is durable.</summary>
    public Task<T> WriteAsync<T>(Func<ChangeWriter, T> write)
    {
        var request = new WriteRequest<T>(write);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _queued.Add(request);
            if (_queued.Count == 1)
            {
                Monitor.Pulse(_gate);
            }
        }

        return request.Task;
    }

    /// <summary>Writes what is queued, then stops the thread and closes the connection.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            Monitor.Pulse(_gate);
        }

        _thread.Join();
        _changes.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            lock (_gate)
            {
                while (_queued.Count == 0 && !_closed)
                {
                    Monitor.Wait(_gate);
                }

                if (_queued.Count == 0)
                {
                    return;
                }

                (_queued, _taken) = (_taken, _queued);
            }

            for (int start = 0; start < _taken.Count; start += _maxBatchSize)
            {
                WriteBatch(_taken.GetRange(start, Math.Min(_maxBatchSize, _taken.Count - start)));
            }

            _taken.Clear();
        }
    }

    private void WriteBatch(List<WriteRequest> batch)
    {
        Exception?[] failures;
        try
        {
            failures = ApplyTogether(batch) ?? ApplyEachInItsSavepoint(batch);
            _changes.Commit();
            Interlocked.Increment(ref _commits);
        }
#pragma warning disable CA1031 // Whatever broke the transaction is the answer of every request in it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            TryRollback();
            foreach (WriteRequest request in batch)
            {
                request.Fail(exception);
            }

            return;
        }

        for (int index = 0; index < batch.Count; index++)
        {
            if (failures[index] is { } failure)
            {
                batch[index].Fail(failure);
            }
            else
            {
                batch[index].Complete();
            }
        }
    }

    /// <summary>The fast path: every request in one transaction without savepoints; null (rolled back) when one threw.</summary>
    private Exception?[]? ApplyTogether(List<WriteRequest> batch)
    {
        _changes.Begin();
        try
        {
            foreach (WriteRequest request in batch)
            {
                request.Apply(_changes);
            }
        }
#pragma warning disable CA1031 // The batch is redone request by request; the failing one gets its own exception then.
        catch (Exception)
#pragma warning restore CA1031
        {
            _changes.Rollback();
            return null;
        }

        return new Exception?[batch.Count];
    }

    /// <summary>The slow path after a failure: each request in its own savepoint, a failing one rolled back alone.</summary>
    private Exception?[] ApplyEachInItsSavepoint(List<WriteRequest> batch)
    {
        var failures = new Exception?[batch.Count];
        _changes.Begin();
        for (int index = 0; index < batch.Count; index++)
        {
            _changes.Savepoint();
            try
            {
                batch[index].Apply(_changes);
                _changes.Release();
            }
#pragma warning disable CA1031 // The request's own failure is its answer; the rest of the batch goes on.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _changes.RollbackToSavepoint();
                failures[index] = exception;
            }
        }

        return failures;
    }

    private void TryRollback()
    {
        try
        {
            _changes.Rollback();
        }
#pragma warning disable CA1031 // The batch already failed; a rollback that fails too changes nothing for its callers.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
