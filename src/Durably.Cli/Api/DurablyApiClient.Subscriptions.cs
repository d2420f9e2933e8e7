using System.Globalization;
using System.Text;
using System.Text.Json;
using Durably.Protocol;

namespace Durably.Cli.Api;

/// <summary>Webhook subscriptions (<c>/durably/subscriptions</c>, docs/events.md).</summary>
internal sealed partial class DurablyApiClient
{
    /// <summary>Adds or replaces a run-time subscription.</summary>
    public Task<ApiResult<AddedEventSubscription>> AddSubscriptionAsync(AddEventSubscription subscription, CancellationToken cancellationToken)
        => PostAsync<AddedEventSubscription>(
            "durably/subscriptions",
            new StringContent(JsonSerializer.Serialize(subscription, DurablyJson.Api), Encoding.UTF8, "application/json"),
            cancellationToken);

    /// <summary>Every subscription, without secrets.</summary>
    public Task<ApiResult<EventSubscriptionList>> ListSubscriptionsAsync(CancellationToken cancellationToken)
        => GetAsync<EventSubscriptionList>("durably/subscriptions", cancellationToken);

    /// <summary>Removes a run-time subscription.</summary>
    public async Task RemoveSubscriptionAsync(string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"durably/subscriptions/{Escape(name)}");
        using HttpResponseMessage response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        ThrowIfError(response, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A subscription's dead letters.</summary>
    public Task<ApiResult<DeadLetterList>> ListDeadLettersAsync(string name, CancellationToken cancellationToken)
        => GetAsync<DeadLetterList>($"durably/subscriptions/{Escape(name)}/dead-letters", cancellationToken);

    /// <summary>Delivers one dead letter again.</summary>
    public Task<ApiResult<RedeliveryResult>> RedeliverAsync(string name, long position, CancellationToken cancellationToken)
        => PostAsync<RedeliveryResult>(
            $"durably/subscriptions/{Escape(name)}/redeliver" + Query(("Position", position.ToString(CultureInfo.InvariantCulture))), null, cancellationToken);
}
