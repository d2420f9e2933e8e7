namespace Durably.Engine;

/// <summary>An outbox event a consumer gave up delivering after its last retry; it stays until redelivered.</summary>
/// <param name="Consumer">The consumer (for a webhook subscription, <see cref="EventSubscription.Consumer"/>).</param>
/// <param name="Position">The event's outbox position.</param>
/// <param name="Attempts">How many attempts failed.</param>
/// <param name="LastError">What the last attempt ended with (a status code, a timeout, a connection error).</param>
/// <param name="FailedAt">When the last attempt failed.</param>
public sealed record DeadLetter(string Consumer, long Position, int Attempts, string LastError, DateTimeOffset FailedAt);
