using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Durably.Engine.Telemetry;

/// <summary>
/// The webhook deliverer's instruments on the <c>Durably</c> meter (docs/observability.md lists them): the outbox backlog
/// of each subscription and the delivery attempts by outcome. Kept apart from <see cref="EngineMetrics"/>, whose counts
/// come from commits, on the same meter.
/// </summary>
internal static class WebhookMetrics
{
    /// <summary>The attribute that names the event subscription.</summary>
    public const string SubscriptionAttribute = "durably.subscription.name";

    /// <summary>The attribute that says how a delivery attempt ended.</summary>
    public const string OutcomeAttribute = "durably.webhook.outcome";

    /// <summary>The receiver accepted the event (2xx).</summary>
    public const string Delivered = "delivered";

    /// <summary>The attempt failed and another follows after a back-off.</summary>
    public const string Failed = "failed";

    /// <summary>The last attempt failed: the event is (or stays) in the subscription's dead-letter list.</summary>
    public const string DeadLettered = "dead_lettered";

    // The backlogs of every started deliverer in this process, by subscription name (a test host may run several).
    private static readonly ConcurrentDictionary<IReadOnlyDictionary<string, long>, byte> Backlogs = new();

    private static readonly Counter<long> Attempts = EngineMetrics.Meter.CreateCounter<long>("durably.webhook.attempts", "{attempt}",
        "Webhook delivery attempts, by durably.subscription.name and durably.webhook.outcome.");

    private static readonly ObservableGauge<long> OutboxBacklog = EngineMetrics.Meter.CreateObservableGauge("durably.outbox.backlog", ObserveBacklogs, "{event}",
        "Outbox events a webhook subscription has yet to go through, by durably.subscription.name.");

    /// <summary>Reports <paramref name="backlogs"/> (subscription name to backlog) until <see cref="Forget"/>.</summary>
    public static void Track(IReadOnlyDictionary<string, long> backlogs) => Backlogs.TryAdd(backlogs, 0);

    /// <summary>Stops reporting <paramref name="backlogs"/>.</summary>
    public static void Forget(IReadOnlyDictionary<string, long> backlogs) => Backlogs.TryRemove(backlogs, out _);

    /// <summary>Counts one delivery attempt to <paramref name="subscription"/> that ended in <paramref name="outcome"/>.</summary>
    public static void Attempted(string subscription, string outcome) =>
        Attempts.Add(1, new(SubscriptionAttribute, subscription), new(OutcomeAttribute, outcome));

    private static IEnumerable<Measurement<long>> ObserveBacklogs() =>
        [.. Backlogs.Keys.SelectMany(backlogs => backlogs)
            .Select(backlog => new Measurement<long>(backlog.Value, new KeyValuePair<string, object?>(SubscriptionAttribute, backlog.Key)))];
}
