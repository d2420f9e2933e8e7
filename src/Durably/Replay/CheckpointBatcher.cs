using Durably.Protocol;

namespace Durably.Replay;

/// <summary>
/// The only type that calls <see cref="IDurableExecutionClient.CheckpointAsync"/>. Updates are
/// queued in call order and sent in batches, one request in flight at a time, each with the
/// newest token. An awaited update completes after the request carrying it is acknowledged;
/// a lazy update (an at-least-once START, a CONTEXT START) rides along with the next request,
/// or is sent on its own after <see cref="LazyFlushDelay"/> when no request came meanwhile, so a
/// running step is visible (and its START durable) while its body runs, without waiting for it.
/// </summary>
internal sealed class CheckpointBatcher
{
    /// <summary>The SDKs' caps per request (WIRE-DETAILS.md §B.7).</summary>
    private const int MaxUpdatesPerRequest = 200;
    private const int MaxBytesPerRequest = 750 * 1024;

    /// <summary>
    /// How long a lazy update waits for a request to ride with: a step whose body ends sooner sends its START with its
    /// outcome in one request; a longer one has its START sent alone, while the body runs (docs/sdk.md).
    /// </summary>
    public static readonly TimeSpan LazyFlushDelay = TimeSpan.FromMilliseconds(5);

    private readonly IDurableExecutionClient _client;
    private readonly string _arn;
    private readonly ExecutionLog _log;
    private readonly Invocation _invocation;
    private readonly TimeProvider _time;
    private readonly Queue<Pending> _queue = new();
    private readonly Lock _lock = new();
    private string _token;
    private Task _lastAcknowledgement = Task.CompletedTask;
    private bool _sending;
    private bool _pollRequested;
    private bool _closed;
    private ITimer? _lazyFlush;

    public CheckpointBatcher(IDurableExecutionClient client, string arn, string token, ExecutionLog log, Invocation invocation, TimeProvider time)
    {
        _time = time;
        _client = client;
        _arn = arn;
        _token = token;
        _log = log;
        _invocation = invocation;
    }

    /// <summary>True when nothing is queued and no request is in flight.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_lock)
            {
                return !_sending && _queue.Count == 0;
            }
        }
    }

    /// <summary>True when only lazy updates wait and no request is in flight.</summary>
    public bool HasUnsentLazyUpdates
    {
        get
        {
            lock (_lock)
            {
                return !_sending && _queue.Count > 0;
            }
        }
    }

    /// <summary>Queues an update and returns its acknowledged record.</summary>
    public Task<Operation?> CheckpointAsync(OperationUpdate update) => Enqueue(update, send: true);

    /// <summary>Queues an update to be sent with the next request, or on its own after <see cref="LazyFlushDelay"/>.</summary>
    public void CheckpointLazily(OperationUpdate update)
    {
        _ = Enqueue(update, send: false);
        lock (_lock)
        {
            if (!_closed && _lazyFlush is null)
            {
                // Fires on the thread pool: the body that queued the update goes on meanwhile.
                _lazyFlush = _time.CreateTimer(_ => FlushLazyUpdates(), null, LazyFlushDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Sends whatever is queued.</summary>
    public void Flush() => StartSendingIfNeeded();

    /// <summary>Sends a checkpoint even with nothing queued, to collect service-side changes.</summary>
    public void Poll()
    {
        lock (_lock)
        {
            _pollRequested = true;
        }

        StartSendingIfNeeded();
    }

    /// <summary>Refuses further updates: the invocation is ending.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _lazyFlush?.Dispose();
            _lazyFlush = null;
        }
    }

    /// <summary>Completes when everything queued so far has been acknowledged.</summary>
    public Task DrainAsync()
    {
        Task last;
        lock (_lock)
        {
            last = _lastAcknowledgement;
        }

        Flush();
        return last;
    }

    private void FlushLazyUpdates()
    {
        lock (_lock)
        {
            _lazyFlush?.Dispose();
            _lazyFlush = null;
        }

        // Nothing to do when a request already took the updates; otherwise one request carries every update queued so far.
        Flush();
    }

    private Task<Operation?> Enqueue(OperationUpdate update, bool send)
    {
        var pending = new Pending(update);
        lock (_lock)
        {
            if (_closed)
            {
                // The invocation ended (suspended or failed): nothing more is written; the caller never resumes.
                return pending.Acknowledged.Task;
            }

            _queue.Enqueue(pending);
            _lastAcknowledgement = pending.Acknowledged.Task;
        }

        _invocation.NoteActivity();
        if (send)
        {
            StartSendingIfNeeded();
        }

        return pending.Acknowledged.Task;
    }

    private void StartSendingIfNeeded()
    {
        lock (_lock)
        {
            if (_sending || (_queue.Count == 0 && !_pollRequested) || _closed)
            {
                return;
            }

            _sending = true;
        }

        _ = SendLoopAsync();
    }

    /// <summary>
    /// Sends batches until the queue is empty. Acknowledgements run their continuations inline
    /// (user code continues until its next await); updates queued meanwhile join the next batch
    /// instead of starting a nested send, so the stack never grows with the number of steps.
    /// </summary>
    private async Task SendLoopAsync()
    {
        while (true)
        {
            List<Pending> batch;
            string token;
            lock (_lock)
            {
                if ((_queue.Count == 0 && !_pollRequested) || _closed)
                {
                    _sending = false;
                    break;
                }

                _pollRequested = false;
                batch = TakeBatch();
                token = _token;
            }

            CheckpointDurableExecutionResponse response;
            try
            {
                response = await _client.CheckpointAsync(new CheckpointDurableExecutionRequest
                {
                    DurableExecutionArn = _arn,
                    CheckpointToken = token,
                    ClientToken = Guid.NewGuid().ToString("N"),
                    Updates = batch.Select(p => p.Update).ToList(),
                }, _invocation.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                lock (_lock)
                {
                    _sending = false;
                    _closed = true;
                }

                // Callers are never resumed: user code must not observe (and swallow) a checkpoint failure.
                _invocation.Fail(exception);
                return;
            }

            lock (_lock)
            {
                _token = response.CheckpointToken;
            }

            IReadOnlyList<Operation> changed = response.NewExecutionState?.Operations ?? [];
            // Resuming callers runs user code inline; it counts as executing until it awaits again.
            _invocation.EnterExecuting();
            try
            {
                _log.Apply(changed);
                foreach (Pending pending in batch)
                {
                    pending.Acknowledged.TrySetResult(_log.Get(pending.Update.Id));
                }
            }
            finally
            {
                _invocation.ExitExecuting();
            }
        }

        _invocation.CheckSuspension();
    }

    private List<Pending> TakeBatch()
    {
        var batch = new List<Pending>();
        int bytes = 0;
        while (_queue.Count > 0 && batch.Count < MaxUpdatesPerRequest)
        {
            Pending next = _queue.Peek();
            int size = next.EstimatedBytes;
            if (batch.Count > 0 && bytes + size > MaxBytesPerRequest)
            {
                break;
            }

            batch.Add(_queue.Dequeue());
            bytes += size;
        }

        return batch;
    }

    private sealed class Pending(OperationUpdate update)
    {
        public OperationUpdate Update { get; } = update;

        // Synchronous continuations on purpose: see SendLoopAsync.
        public TaskCompletionSource<Operation?> Acknowledged { get; } = new();

        public int EstimatedBytes => 256 + (Update.Payload?.Length ?? 0) * 2
            + (Update.Error?.ErrorMessage?.Length ?? 0) + (Update.Error?.ErrorData?.Length ?? 0);
    }
}
