using System.Text.RegularExpressions;

namespace Durably;

/// <summary>Decides whether a failed step attempt is retried and after which delay.</summary>
public interface IRetryStrategy
{
    /// <summary>Called once, live, with the exception of the attempt that just failed (1-based number).</summary>
    RetryDecision ShouldRetry(Exception exception, int attemptNumber);
}

/// <summary>A retry decision.</summary>
public readonly record struct RetryDecision
{
    private RetryDecision(bool shouldRetry, TimeSpan delay)
    {
        ShouldRetry = shouldRetry;
        Delay = delay;
    }

    /// <summary>True to retry.</summary>
    public bool ShouldRetry { get; }

    /// <summary>Delay before the next attempt (rounded up to whole seconds, at least 1 s).</summary>
    public TimeSpan Delay { get; }

    /// <summary>Retry after <paramref name="delay"/>.</summary>
    public static RetryDecision RetryAfter(TimeSpan delay) => new(true, delay);

    /// <summary>Give up.</summary>
    public static RetryDecision DoNotRetry() => new(false, TimeSpan.Zero);
}

/// <summary>How a computed delay is randomized.</summary>
public enum JitterStrategy
{
    /// <summary>The computed delay exactly.</summary>
    None,
    /// <summary>Uniform in (0, delay].</summary>
    Full,
    /// <summary>Uniform in [delay/2, delay].</summary>
    Half,
}

/// <summary>Built-in retry strategies.</summary>
public static class RetryStrategy
{
    /// <summary>6 attempts, 5 s initial, 60 s max, ×2, full jitter.</summary>
    public static IRetryStrategy Default { get; } =
        Exponential(maxAttempts: 6, initialDelay: TimeSpan.FromSeconds(5), maxDelay: TimeSpan.FromSeconds(60));

    /// <summary>3 attempts, 1 s initial, 5 s max, ×2, half jitter.</summary>
    public static IRetryStrategy Transient { get; } =
        Exponential(maxAttempts: 3, initialDelay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(5), jitter: JitterStrategy.Half);

    /// <summary>Never retries.</summary>
    public static IRetryStrategy None { get; } = FromDelegate((_, _) => RetryDecision.DoNotRetry());

    /// <summary>Exponential backoff: delay = min(initial × rate^(attempt−1), max), then jitter.</summary>
    public static IRetryStrategy Exponential(
        int maxAttempts = 3, TimeSpan? initialDelay = null, TimeSpan? maxDelay = null,
        double backoffRate = 2.0, JitterStrategy jitter = JitterStrategy.Full,
        IReadOnlyList<Type>? retryableExceptions = null, IReadOnlyList<string>? retryableMessagePatterns = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        TimeSpan initial = initialDelay ?? TimeSpan.FromSeconds(5);
        TimeSpan max = maxDelay ?? TimeSpan.FromSeconds(300);
        Durations.RequireWholeSecondsAtLeastOne(initial, nameof(initialDelay));
        Durations.RequireWholeSecondsAtLeastOne(max, nameof(maxDelay));
        if (backoffRate < 1 || double.IsNaN(backoffRate) || double.IsInfinity(backoffRate))
        {
            throw new ArgumentOutOfRangeException(nameof(backoffRate), backoffRate, "backoffRate must be a finite number of at least 1.");
        }

        return new ExponentialRetryStrategy(maxAttempts, initial, max, backoffRate, jitter,
            retryableExceptions, retryableMessagePatterns?.Select(p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).ToArray());
    }

    /// <summary>A strategy from a delegate.</summary>
    public static IRetryStrategy FromDelegate(Func<Exception, int, RetryDecision> decide)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return new DelegateRetryStrategy(decide);
    }

    private sealed class DelegateRetryStrategy(Func<Exception, int, RetryDecision> decide) : IRetryStrategy
    {
        public RetryDecision ShouldRetry(Exception exception, int attemptNumber) => decide(exception, attemptNumber);
    }

    private sealed class ExponentialRetryStrategy(
        int maxAttempts, TimeSpan initialDelay, TimeSpan maxDelay, double backoffRate, JitterStrategy jitter,
        IReadOnlyList<Type>? retryableExceptions, IReadOnlyList<Regex>? retryableMessagePatterns) : IRetryStrategy
    {
        public RetryDecision ShouldRetry(Exception exception, int attemptNumber)
        {
            if (attemptNumber >= maxAttempts || !IsRetryable(exception))
            {
                return RetryDecision.DoNotRetry();
            }

            return RetryDecision.RetryAfter(Backoff.Delay(initialDelay, maxDelay, backoffRate, jitter, attemptNumber));
        }

        private bool IsRetryable(Exception exception)
        {
            if (retryableExceptions is null && retryableMessagePatterns is null)
            {
                return true;
            }

            bool typeMatches = retryableExceptions?.Any(t => t.IsInstanceOfType(exception)) ?? false;
            bool messageMatches = retryableMessagePatterns?.Any(r => r.IsMatch(exception.Message)) ?? false;
            return typeMatches || messageMatches;
        }
    }
}

/// <summary>Backoff arithmetic shared by retry and wait strategies.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(TimeSpan initial, TimeSpan max, double rate, JitterStrategy jitter, int attemptNumber)
    {
        double seconds = Math.Min(initial.TotalSeconds * Math.Pow(rate, attemptNumber - 1), max.TotalSeconds);
        double jittered = jitter switch
        {
            JitterStrategy.Full => seconds * Random.Shared.NextDouble(),
            JitterStrategy.Half => seconds / 2 + (seconds / 2 * Random.Shared.NextDouble()),
            _ => seconds,
        };
        return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(jittered)));
    }
}
