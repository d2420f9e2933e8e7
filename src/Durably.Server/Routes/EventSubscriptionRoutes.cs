using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Routing;
using Durably.Server.Security;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routes;

/// <summary>
/// Webhook subscriptions to status-change events (docs/events.md), Admin scope: <c>POST /durably/subscriptions</c> adds or
/// replaces one, <c>GET /durably/subscriptions</c> lists them, <c>DELETE /durably/subscriptions/{Name}</c> removes one,
/// <c>GET /durably/subscriptions/{Name}/dead-letters</c> lists the events given up on, and
/// <c>POST /durably/subscriptions/{Name}/redeliver?Position=</c> delivers one again. Added subscriptions are saved
/// before the answer; those registered in code cannot be replaced or removed. The URL passes the same host rules as
/// run-time HTTP functions (<see cref="FunctionEndpointPolicy"/>).
/// </summary>
internal sealed partial class EventSubscriptionRoutes(WebhookDeliverer deliverer, FunctionEndpointPolicy policy)
{
    private const int MaxBodyBytes = 16_384;
    private const int MinSecretLength = 32;
    private const int MaxSecretLength = 256;

    /// <summary>Adds (201) or replaces (200) a subscription; the answer carries its secret (generated when none was given).</summary>
    public async Task AddAsync(HttpContext context)
    {
        AddSubscriptionRequest body = await RequestBody.ReadJsonAsync<AddSubscriptionRequest>(context, MaxBodyBytes, "The subscription").ConfigureAwait(false)
            ?? throw ApiErrors.InvalidParameter("The subscription needs a JSON body {Name, Url, Pattern[, Secret]}.");
        EventSubscription subscription = Validate(body);
        if (deliverer.IsInCode(subscription.Name))
        {
            throw InCode(subscription.Name);
        }

        bool replaced = await deliverer.AddAsync(subscription, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteJsonAsync(context, new AddedSubscription(subscription.Name, subscription.Url.AbsoluteUri, Pattern(subscription), subscription.Secret),
            replaced ? StatusCodes.Status200OK : StatusCodes.Status201Created).ConfigureAwait(false);
    }

    /// <summary>Every subscription (without secrets), with where it comes from and how many dead letters it has.</summary>
    public async Task ListAsync(HttpContext context)
    {
        var listed = new List<ListedSubscription>();
        foreach (EventSubscription subscription in deliverer.Subscriptions)
        {
            int deadLetters = (await deliverer.DeadLettersAsync(subscription.Name, context.RequestAborted).ConfigureAwait(false)).Count;
            listed.Add(new ListedSubscription(subscription.Name, subscription.Url.AbsoluteUri, Pattern(subscription),
                deliverer.IsInCode(subscription.Name) ? "code" : "runtime", deadLetters));
        }

        await ApiResponses.WriteJsonAsync(context, new SubscriptionList(listed)).ConfigureAwait(false);
    }

    /// <summary>Removes a run-time subscription: 204; 404 when unknown, 409 when registered in code.</summary>
    public async Task RemoveAsync(HttpContext context, string name)
    {
        CheckName(name);
        if (deliverer.IsInCode(name))
        {
            throw InCode(name);
        }

        if (!await deliverer.RemoveAsync(name, context.RequestAborted).ConfigureAwait(false))
        {
            throw NotFound(name);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>The subscription's dead letters, with their events.</summary>
    public async Task ListDeadLettersAsync(HttpContext context, string name)
    {
        IReadOnlyList<DeadLetter> letters = await DeadLettersOfAsync(name, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.WriteJsonAsync(context, new DeadLetterList([.. letters.Select(letter =>
            new ListedDeadLetter(letter.Position, letter.Attempts, letter.LastError, letter.FailedAt))])).ConfigureAwait(false);
    }

    /// <summary>Delivers one dead letter again (<c>Position=</c>): 200 with whether the receiver accepted it.</summary>
    public async Task RedeliverAsync(HttpContext context, string name)
    {
        await DeadLettersOfAsync(name, context.RequestAborted).ConfigureAwait(false);
        string? raw = new QueryParameters(context.Request.Query).GetString("Position");
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out long position) || position < 1)
        {
            throw ApiErrors.InvalidParameter($"Position '{QueryParameters.Shorten(raw ?? "")}' is invalid: it must be the outbox position of a dead letter (a positive integer).");
        }

        try
        {
            bool delivered = await deliverer.RedeliverAsync(name, position, context.RequestAborted).ConfigureAwait(false);
            await ApiResponses.WriteJsonAsync(context, new Redelivery(delivered)).ConfigureAwait(false);
        }
        catch (KeyNotFoundException missing)
        {
            throw ServiceErrorCodes.NotFound(missing.Message);
        }
    }

    private async Task<IReadOnlyList<DeadLetter>> DeadLettersOfAsync(string name, CancellationToken cancellationToken)
    {
        CheckName(name);
        try
        {
            return await deliverer.DeadLettersAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyNotFoundException)
        {
            throw NotFound(name);
        }
    }

    private EventSubscription Validate(AddSubscriptionRequest body)
    {
        CheckName(body.Name ?? "");
        if (body.Url is null || !Uri.TryCreate(body.Url, UriKind.Absolute, out Uri? url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.UserInfo.Length > 0 || url.Fragment.Length > 0)
        {
            throw ApiErrors.InvalidParameter($"Url '{QueryParameters.Shorten(body.Url ?? "")}' is invalid: it must be an absolute http:// or https:// URL without user info or fragment.");
        }

        policy.Check(url);
        string patternJson = body.Pattern switch
        {
            { ValueKind: JsonValueKind.Object } pattern => pattern.GetRawText(),
            { ValueKind: JsonValueKind.String } pattern => pattern.GetString()!,
            _ => throw ApiErrors.InvalidParameter("Pattern is required: an EventBridge event pattern, as a JSON object (or a string holding one)."),
        };
        EventPattern parsed;
        try
        {
            parsed = EventPattern.Parse(patternJson);
        }
        catch (EventPatternException invalid)
        {
            throw ApiErrors.InvalidParameter(invalid.Message);
        }

        string secret = body.Secret ?? RandomNumberGenerator.GetHexString(48, lowercase: true);
        if (secret.Length is < MinSecretLength or > MaxSecretLength)
        {
            throw ApiErrors.InvalidParameter($"Secret must be {MinSecretLength}-{MaxSecretLength} characters long; got {secret.Length}. Leave it out to have one generated.");
        }

        return new EventSubscription { Name = body.Name!, Url = url, Pattern = parsed, Secret = secret };
    }

    private static void CheckName(string name)
    {
        if (!ApiNames.IsValid(name))
        {
            throw ApiErrors.InvalidParameter($"Name '{QueryParameters.Shorten(name)}' is invalid: it must be {ApiNames.Rule}.");
        }
    }

    private static JsonElement Pattern(EventSubscription subscription)
    {
        using JsonDocument document = JsonDocument.Parse(subscription.Pattern.Json);
        return document.RootElement.Clone();
    }

    private static DurableServiceException NotFound(string name) => ServiceErrorCodes.NotFound($"There is no event subscription named '{name}'.");

    private static DurableServiceException InCode(string name) => new(ServiceErrorCodes.ResourceConflict, StatusCodes.Status409Conflict,
        $"The event subscription '{name}' is registered in code; it cannot be replaced or removed at run time.");

    /// <summary>The body of <c>POST /durably/subscriptions</c>.</summary>
    private sealed record AddSubscriptionRequest(string? Name = null, string? Url = null, JsonElement? Pattern = null, string? Secret = null);

    private sealed record AddedSubscription(string Name, string Url, JsonElement Pattern, string Secret);

    private sealed record ListedSubscription(string Name, string Url, JsonElement Pattern, string Source, int DeadLetters);

    private sealed record SubscriptionList(IReadOnlyList<ListedSubscription> Subscriptions);

    private sealed record ListedDeadLetter(long Position, int Attempts, string LastError, DateTimeOffset FailedAt);

    private sealed record DeadLetterList(IReadOnlyList<ListedDeadLetter> DeadLetters);

    private sealed record Redelivery(bool Delivered);
}
