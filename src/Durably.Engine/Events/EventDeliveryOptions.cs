namespace Durably.Engine;

/// <summary>How webhooks are delivered: attempts, back-off, timeouts, polling.</summary>
public sealed class EventDeliveryOptions
{
    /// <summary>Attempts per event before it goes to the dead-letter list (default 5).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The delay before the second attempt; it doubles for each further one (default 1 second).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts (default 5 minutes).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one POST may take, response included (default 10 seconds).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle subscription looks for new events in the outbox (default 1 second).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The delay after failed attempt <paramref name="attempt"/> (1-based): exponential, capped.</summary>
    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks * (1L << Math.Min(attempt - 1, 30))));
}
