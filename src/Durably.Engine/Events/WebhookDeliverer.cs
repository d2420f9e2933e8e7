using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Durably.Engine.Storage;
using Durably.Engine.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Durably.Engine;

/// <summary>
/// Delivers the outbox to webhook subscriptions, decoupled from commits: each subscription reads the outbox after its
/// cursor, POSTs the matching events one at a time in outbox order (so in order per execution), and saves its cursor
/// after each, so every event is delivered at least once across restarts. A failed POST is retried with exponential
/// back-off; after the last attempt the event goes to the subscription's dead-letter list and delivery goes on.
/// Subscriptions come from code (<c>AddEventSubscription</c>) and, added at run time, from an
/// <see cref="IEventSubscriptionStore"/>; those in code cannot be replaced or removed at run time.
/// </summary>
public sealed class WebhookDeliverer : IAsyncDisposable
{
    private const int BatchSize = 100;

    private readonly IExecutionStore _store;
    private readonly IEventSubscriptionStore _registrations;
    private readonly IReadOnlyDictionary<string, EventSubscription> _inCode;
    private readonly EventDeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;
    private readonly ILogger _logger;

    // One change at a time; the loops run under _stopping, each also under its own source (stopped when removed).
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, EventSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (CancellationTokenSource Stop, Task Loop)> _loops = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    // Each running subscription's backlog as its loop last saw it (the durably.outbox.backlog gauge).
    private readonly ConcurrentDictionary<string, long> _backlogs = new(StringComparer.Ordinal);

    // Each running subscription's cursor as its loop last read or saved it, and a signal completed (and replaced) on each move.
    private readonly ConcurrentDictionary<string, long> _cursors = new(StringComparer.Ordinal);
    private TaskCompletionSource _cursorMoved = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _started;

    /// <summary>
    /// Creates a deliverer of <paramref name="subscriptions"/> (registered in code) and of those saved in
    /// <paramref name="registrations"/> (in memory when null); <paramref name="handler"/> replaces the default HTTP
    /// handler (which follows no redirects).
    /// </summary>
    public WebhookDeliverer(
        IExecutionStore store, IEnumerable<EventSubscription> subscriptions, EventDeliveryOptions options, TimeProvider time,
        IEventSubscriptionStore? registrations = null, ILogger<WebhookDeliverer>? logger = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _registrations = registrations ?? new InMemoryEventSubscriptionStore();
        _inCode = subscriptions.ToDictionary(subscription => subscription.Name, StringComparer.Ordinal);
        foreach (EventSubscription subscription in _inCode.Values)
        {
            _subscriptions[subscription.Name] = subscription;
        }

        _client = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
        _logger = logger ?? NullLogger<WebhookDeliverer>.Instance;
    }

    /// <summary>
    /// Why a saved subscription's URL may not be used under today's rules, or null when it may (the server's allowed hosts).
    /// Checked by <see cref="StartAsync"/>; null: every URL passes.
    /// </summary>
    public Func<Uri, string?>? EndpointRule { get; set; }

    /// <summary>The subscriptions delivered to, by name.</summary>
    public IReadOnlyList<EventSubscription> Subscriptions
    {
        get
        {
            lock (_subscriptions)
            {
                return [.. _subscriptions.Values.OrderBy(subscription => subscription.Name, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>True when <paramref name="name"/> is registered in code (it cannot be replaced or removed at run time).</summary>
    public bool IsInCode(string name) => _inCode.ContainsKey(name);

    /// <summary>
    /// Loads the subscriptions saved at run time (one whose name is now registered in code, or whose URL
    /// <see cref="EndpointRule"/> refuses, is skipped with a warning and stays saved) and starts delivering to all.
    /// Later calls do nothing.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_started)
            {
                return;
            }

            foreach (EventSubscription saved in await _registrations.LoadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                string? refusal = IsInCode(saved.Name) ? "a subscription of that name is registered in code" : EndpointRule?.Invoke(saved.Url);
                if (refusal is not null)
                {
                    _logger.SavedSubscriptionSkipped(saved.Name, refusal);
                    continue;
                }

                lock (_subscriptions)
                {
                    _subscriptions[saved.Name] = saved;
                }
            }

            _started = true;
            WebhookMetrics.Track(_backlogs);
            foreach (EventSubscription subscription in Subscriptions)
            {
                StartLoop(subscription);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops delivering; what was delivered is saved, the rest is delivered after the next start.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        WebhookMetrics.Forget(_backlogs);
        Task[] loops;
        lock (_subscriptions)
        {
            loops = [.. _loops.Values.Select(loop => loop.Loop)];
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds (or replaces) a run-time subscription, saved before this returns. A new one receives the events written from
    /// now on; a replaced one goes on from where it was. True when it replaced one.
    /// </summary>
    /// <exception cref="InvalidOperationException">A subscription of that name is registered in code.</exception>
    public async Task<bool> AddAsync(EventSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfInCode(subscription.Name);
            bool replaced = await StopLoopAsync(subscription.Name).ConfigureAwait(false);
            if (!replaced)
            {
                long end = await _store.GetOutboxEndAsync(cancellationToken).ConfigureAwait(false);
                await _store.SetOutboxCursorAsync(subscription.Consumer, end, cancellationToken).ConfigureAwait(false);
            }

            await _registrations.SaveAsync(subscription, cancellationToken).ConfigureAwait(false);
            lock (_subscriptions)
            {
                _subscriptions[subscription.Name] = subscription;
            }

            if (_started)
            {
                StartLoop(subscription);
            }

            return replaced;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes a run-time subscription (its dead letters stay in the store); false when there was none.</summary>
    /// <exception cref="InvalidOperationException">A subscription of that name is registered in code.</exception>
    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfInCode(name);
            bool removed = await _registrations.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
            bool running = await StopLoopAsync(name).ConfigureAwait(false);
            return removed || running;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The subscription's dead letters, by position.</summary>
    /// <exception cref="KeyNotFoundException">No such subscription.</exception>
    public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string subscriptionName, CancellationToken cancellationToken = default) =>
        _store.ReadDeadLettersAsync(Find(subscriptionName).Consumer, int.MaxValue, cancellationToken);

    /// <summary>
    /// Delivers a dead letter again, once: true (and it leaves the list) when the receiver accepted it; false (and it stays,
    /// with the new error) when not.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such subscription, or no such dead letter.</exception>
    public async Task<bool> RedeliverAsync(string subscriptionName, long position, CancellationToken cancellationToken = default)
    {
        EventSubscription subscription = Find(subscriptionName);
        DeadLetter letter = (await _store.ReadDeadLettersAsync(subscription.Consumer, int.MaxValue, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(letter => letter.Position == position)
            ?? throw new KeyNotFoundException($"The subscription '{subscriptionName}' has no dead letter at position {position}.");
        OutboxEntry entry = (await _store.ReadOutboxAsync(position - 1, 1, cancellationToken).ConfigureAwait(false)).Single(e => e.Position == position);
        string? error = await TryPostAsync(subscription, entry, cancellationToken).ConfigureAwait(false);
        WebhookMetrics.Attempted(subscription.Name, error is null ? WebhookMetrics.Delivered : WebhookMetrics.DeadLettered);
        if (error is null)
        {
            return await _store.RemoveDeadLetterAsync(subscription.Consumer, position, cancellationToken).ConfigureAwait(false);
        }

        await _store.AddDeadLetterAsync(letter with { Attempts = letter.Attempts + 1, LastError = error, FailedAt = _time.GetUtcNow() }, cancellationToken)
            .ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// How many outbox events the furthest-behind subscription has yet to go through (matching or not); 0 without
    /// subscriptions.
    /// </summary>
    public async Task<long> BacklogAsync(CancellationToken cancellationToken = default)
    {
        long end = await _store.GetOutboxEndAsync(cancellationToken).ConfigureAwait(false);
        long backlog = 0;
        foreach (EventSubscription subscription in Subscriptions)
        {
            backlog = Math.Max(backlog, end - await _store.GetOutboxCursorAsync(subscription.Consumer, cancellationToken).ConfigureAwait(false));
        }

        return backlog;
    }

    /// <summary>
    /// Completes once the subscription's delivery loop has gone through the outbox up to <paramref name="position"/>
    /// (delivered or dead-lettered each matching event, and saved its cursor there): a signal, not a poll, for whoever
    /// needs to know that events were handed over (a test, a drain before shutdown).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such subscription.</exception>
    public async Task WhenCursorAtLeastAsync(string subscriptionName, long position, CancellationToken cancellationToken = default)
    {
        Find(subscriptionName);
        while (true)
        {
            // Take the signal before reading the cursor, so a move in between is not missed.
            Task moved = Volatile.Read(ref _cursorMoved).Task;
            if (_cursors.TryGetValue(subscriptionName, out long cursor) && cursor >= position)
            {
                return;
            }

            await moved.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _client.Dispose();
        _stopping.Dispose();
        _gate.Dispose();
    }

    private void ThrowIfInCode(string name)
    {
        if (IsInCode(name))
        {
            throw new InvalidOperationException($"The event subscription '{name}' is registered in code; it cannot be replaced or removed at run time.");
        }
    }

    private EventSubscription Find(string name)
    {
        lock (_subscriptions)
        {
            return _subscriptions.GetValueOrDefault(name) ?? throw new KeyNotFoundException($"There is no event subscription named '{name}'.");
        }
    }

    private void StartLoop(EventSubscription subscription)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        Task loop = Task.Run(() => RunAsync(subscription, stop.Token), CancellationToken.None);
        lock (_subscriptions)
        {
            _loops[subscription.Name] = (stop, loop);
        }
    }

    /// <summary>Stops and forgets a subscription's loop; true when it was known.</summary>
    private async Task<bool> StopLoopAsync(string name)
    {
        (CancellationTokenSource Stop, Task Loop) loop;
        bool known;
        lock (_subscriptions)
        {
            known = _subscriptions.Remove(name);
            if (!_loops.Remove(name, out loop))
            {
                return known;
            }
        }

        await loop.Stop.CancelAsync().ConfigureAwait(false);
        await loop.Loop.ConfigureAwait(false);
        loop.Stop.Dispose();
        _backlogs.TryRemove(name, out _);
        _cursors.TryRemove(name, out _);
        return true;
    }

    private async Task RunAsync(EventSubscription subscription, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                long cursor = await _store.GetOutboxCursorAsync(subscription.Consumer, cancellationToken).ConfigureAwait(false);
                CursorAt(subscription.Name, cursor);
                IReadOnlyList<OutboxEntry> entries = await _store.ReadOutboxAsync(cursor, BatchSize, cancellationToken).ConfigureAwait(false);
                if (entries.Count == 0)
                {
                    _backlogs[subscription.Name] = 0;
                    await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                long end = await _store.GetOutboxEndAsync(cancellationToken).ConfigureAwait(false);
                _backlogs[subscription.Name] = end - cursor;
                foreach (OutboxEntry entry in entries)
                {
                    if (subscription.Pattern.Matches(entry.Event))
                    {
                        await DeliverOrDeadLetterAsync(subscription, entry, cancellationToken).ConfigureAwait(false);
                    }

                    await _store.SetOutboxCursorAsync(subscription.Consumer, entry.Position, cancellationToken).ConfigureAwait(false);
                    _backlogs[subscription.Name] = Math.Max(0, end - entry.Position);
                    CursorAt(subscription.Name, entry.Position);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Whatever the store throws (busy, closing, a disk error), the loop must go on, not die silently.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                // Try again after a pause, from the saved cursor.
                _logger.WebhookStoreFailed(subscription.Name, exception);
                await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void CursorAt(string subscriptionName, long position)
    {
        _cursors[subscriptionName] = position;
        Interlocked.Exchange(ref _cursorMoved, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private async Task DeliverOrDeadLetterAsync(EventSubscription subscription, OutboxEntry entry, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            string? error = await TryPostAsync(subscription, entry, cancellationToken).ConfigureAwait(false);
            if (error is null)
            {
                WebhookMetrics.Attempted(subscription.Name, WebhookMetrics.Delivered);
                return;
            }

            if (attempt >= _options.MaxAttempts)
            {
                WebhookMetrics.Attempted(subscription.Name, WebhookMetrics.DeadLettered);
                _logger.WebhookDeadLettered(subscription.Name, entry.Position, attempt, error);
                await _store.AddDeadLetterAsync(new DeadLetter(subscription.Consumer, entry.Position, attempt, error, _time.GetUtcNow()), cancellationToken)
                    .ConfigureAwait(false);
                return;
            }

            WebhookMetrics.Attempted(subscription.Name, WebhookMetrics.Failed);
            await Task.Delay(_options.RetryDelay(attempt), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One POST; null when the receiver answered 2xx, else what went wrong.</summary>
    private async Task<string?> TryPostAsync(EventSubscription subscription, OutboxEntry entry, CancellationToken cancellationToken)
    {
        string body = JsonSerializer.Serialize(entry.Event);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Create(subscription.Secret, _time.GetUtcNow(), body));
        request.Headers.Add(WebhookSignature.DeliveryIdHeader, entry.Event.Id);
        using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return $"timed out after {_options.AttemptTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
        }
        catch (HttpRequestException exception)
        {
            return $"request failed: {exception.Message}";
        }
    }
}
