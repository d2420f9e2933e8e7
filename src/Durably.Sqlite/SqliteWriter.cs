namespace Durably.Sqlite;

/// <summary>
/// The single writer: every queued request is applied in one transaction and committed once, so concurrent executions
/// share one sync (group commit). A caller that finds the connection idle commits its own request on its own thread
/// (no thread hop: alone, a write costs one sync and nothing else); requests that arrive meanwhile queue up, and the
/// writer thread takes them over and commits them together until the queue is empty. A request whose write throws
/// is undone alone (the batch is redone with a savepoint per request) and the others commit. Each caller's task
/// completes after the commit.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    private readonly object _gate = new();
    private readonly ChangeWriter _changes;
    private readonly int _maxBatchSize;
    private readonly Func<bool> _committed;
    private readonly Thread _thread;
    private List<WriteRequest> _queued = [];
    private List<WriteRequest> _threadBatch = [];
    private bool _writing;
    private bool _threadOwns;
    private bool _closed;
    private long _commits;

    /// <param name="changes">The writer connection's statements.</param>
    /// <param name="maxBatchSize">The most requests in one transaction.</param>
    /// <param name="committed">Called after each commit, on the committing thread; true asks for a checkpoint of the log's tail there and then.</param>
    public SqliteWriter(ChangeWriter changes, int maxBatchSize, Func<bool> committed)
    {
        _changes = changes;
        _maxBatchSize = maxBatchSize;
        _committed = committed;
        _thread = new Thread(Run) { IsBackground = true, Name = "Durably.Sqlite writer" };
        _thread.Start();
    }

    /// <summary>Transactions committed so far: with a full sync, the number of log syncs the writes cost.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Queues <paramref name="write"/>; the task completes once its transaction is durable.</summary>
    public Task<T> WriteAsync<T>(Func<ChangeWriter, T> write)
    {
        var request = new WriteRequest<T>(write);
        List<WriteRequest> batch;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _queued.Add(request);
            if (_writing)
            {
                return request.Task;
            }

            _writing = true;
            batch = _queued;
            _queued = [];
        }

        // The connection was idle: commit here, then hand what queued meanwhile to the writer thread.
        WriteAll(batch);
        lock (_gate)
        {
            if (_queued.Count > 0)
            {
                _threadOwns = true;
                Monitor.Pulse(_gate);
            }
            else
            {
                _writing = false;
                if (_closed)
                {
                    Monitor.Pulse(_gate);
                }
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
                // Take over when a caller handed the queue on, or when closing finds requests and nobody writing.
                while (!_threadOwns && !(_closed && !_writing))
                {
                    Monitor.Wait(_gate);
                }

                if (_queued.Count == 0)
                {
                    _threadOwns = false;
                    _writing = false;
                    if (_closed)
                    {
                        return;
                    }

                    continue;
                }

                _threadOwns = true;
                _writing = true;
                (_queued, _threadBatch) = (_threadBatch, _queued);
            }

            WriteAll(_threadBatch);
            _threadBatch.Clear();
        }
    }

    private void WriteAll(List<WriteRequest> requests)
    {
        for (int start = 0; start < requests.Count; start += _maxBatchSize)
        {
            WriteBatch(start == 0 && requests.Count <= _maxBatchSize ? requests : requests.GetRange(start, Math.Min(_maxBatchSize, requests.Count - start)));
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
            if (_committed())
            {
                _changes.CheckpointTail();
            }
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
