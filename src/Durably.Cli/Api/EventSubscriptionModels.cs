using System.Text.Json;

namespace Durably.Cli.Api;

/// <summary>The body of <c>POST /durably/subscriptions</c>: the pattern is sent as the string the user gave, the server checks it.</summary>
internal sealed record AddEventSubscription(string Name, string Url, string Pattern, string? Secret);

/// <summary>The answer of <c>POST /durably/subscriptions</c>, with the secret (generated when none was given).</summary>
internal sealed record AddedEventSubscription(string Name, string Url, JsonElement Pattern, string Secret);

/// <summary>One subscription of <c>GET /durably/subscriptions</c>.</summary>
internal sealed record EventSubscriptionSummary(string Name, string Url, JsonElement Pattern, string Source, int DeadLetters);

/// <summary>The answer of <c>GET /durably/subscriptions</c>.</summary>
internal sealed record EventSubscriptionList(IReadOnlyList<EventSubscriptionSummary> Subscriptions);

/// <summary>One dead letter: an event the subscription gave up on.</summary>
internal sealed record DeadLetterSummary(long Position, int Attempts, string LastError, DateTimeOffset FailedAt);

/// <summary>The answer of <c>GET /durably/subscriptions/{name}/dead-letters</c>.</summary>
internal sealed record DeadLetterList(IReadOnlyList<DeadLetterSummary> DeadLetters);

/// <summary>The answer of <c>POST /durably/subscriptions/{name}/redeliver</c>.</summary>
internal sealed record RedeliveryResult(bool Delivered);
