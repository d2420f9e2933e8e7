using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Durably.Engine;

/// <summary>
/// Delivers the outbox to webhook subscriptions, decoupled from commits: each subscription reads the outbox after its
/// cursor, POSTs the matching events one at a time in outbox order (so in order per execution), and saves its cursor
/// after each, so every event is delivered at least once across restarts. A failed POST is retried with exponential
/// back-off; after the last attempt the event goes to the subscription's dead-letter list and delivery goes on.
/// </summary>
public sealed class WebhookDeliverer : IDisposable
{
    private const int BatchSize = 100;

    private readonly IExecutionStore _store;
    private readonly IReadOnlyDictionary<string, EventSubscription> _subscriptions;
    private readonly EventDeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;
    private readonly ILogger _logger;

    /// <summary>Creates a deliverer; <paramref name="handler"/> replaces the default HTTP handler (no redirects followed).</summary>
    public WebhookDeliverer(
        IExecutionStore store, IEnumerable<EventSubscription> subscriptions, EventDeliveryOptions options, TimeProvider time,
        ILogger<WebhookDeliverer>? logger = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _subscriptions = subscriptions.ToDictionary(subscription => subscription.Name, StringComparer.Ordinal);
        _client = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
        _logger = logger ?? NullLogger<WebhookDeliverer>.Instance;
    }

    /// <summary>The subscriptions delivered to.</summary>
    public IReadOnlyCollection<EventSubscription> Subscriptions => [.. _subscriptions.Values];

    /// <summary>Delivers to every subscription until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_subscriptions.Values.Select(subscription => RunAsync(subscription, cancellationToken)));

    /// <summary>The subscription's dead letters, by position.</summary>
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
        if (error is null)
        {
            return await _store.RemoveDeadLetterAsync(subscription.Consumer, position, cancellationToken).ConfigureAwait(false);
        }

        await _store.AddDeadLetterAsync(letter with { Attempts = letter.Attempts + 1, LastError = error, FailedAt = _time.GetUtcNow() }, cancellationToken)
            .ConfigureAwait(false);
        return false;
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private EventSubscription Find(string name) => _subscriptions.GetValueOrDefault(name)
        ?? throw new KeyNotFoundException($"There is no event subscription named '{name}'.");

    private async Task RunAsync(EventSubscription subscription, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                long cursor = await _store.GetOutboxCursorAsync(subscription.Consumer, cancellationToken).ConfigureAwait(false);
                IReadOnlyList<OutboxEntry> entries = await _store.ReadOutboxAsync(cursor, BatchSize, cancellationToken).ConfigureAwait(false);
                if (entries.Count == 0)
                {
                    await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (OutboxEntry entry in entries)
                {
                    if (subscription.Pattern.Matches(entry.Event))
                    {
                        await DeliverOrDeadLetterAsync(subscription, entry, cancellationToken).ConfigureAwait(false);
                    }

                    await _store.SetOutboxCursorAsync(subscription.Consumer, entry.Position, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is InvalidOperationException or ObjectDisposedException or IOException)
            {
                // The store failed (closing, or a disk error): try again after a pause, from the saved cursor.
                _logger.WebhookStoreFailed(subscription.Name, exception);
                await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DeliverOrDeadLetterAsync(EventSubscription subscription, OutboxEntry entry, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            string? error = await TryPostAsync(subscription, entry, cancellationToken).ConfigureAwait(false);
            if (error is null)
            {
                return;
            }

            if (attempt >= _options.MaxAttempts)
            {
                _logger.WebhookDeadLettered(subscription.Name, entry.Position, attempt, error);
                await _store.AddDeadLetterAsync(new DeadLetter(subscription.Consumer, entry.Position, attempt, error, _time.GetUtcNow()), cancellationToken)
                    .ConfigureAwait(false);
                return;
            }

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
