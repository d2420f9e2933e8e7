namespace Durably.Engine;

/// <summary>
/// A webhook: the status-change events matching <see cref="Pattern"/> are POSTed to <see cref="Url"/>, signed with
/// <see cref="Secret"/> (docs/events.md).
/// </summary>
public sealed record EventSubscription
{
    /// <summary>The subscription's unique name.</summary>
    public required string Name { get; init; }

    /// <summary>Where matching events are POSTed.</summary>
    public required Uri Url { get; init; }

    /// <summary>Which events are delivered.</summary>
    public required EventPattern Pattern { get; init; }

    /// <summary>The HMAC-SHA256 key of the <c>Durably-Signature</c> header; the receiver knows it too.</summary>
    public required string Secret { get; init; }

    /// <summary>The outbox consumer the subscription's cursor and dead letters are kept under.</summary>
    public string Consumer => $"webhook:{Name}";
}
