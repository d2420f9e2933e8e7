namespace Durably;

/// <summary>Decides after each wait-for-condition check whether to continue polling.</summary>
public interface IWaitStrategy<TState>
{
    /// <summary>Called with the new state and the 1-based check number.</summary>
    WaitDecision ShouldContinue(TState state, int attemptNumber);
}

/// <summary>A wait decision.</summary>
public readonly record struct WaitDecision
{
    private WaitDecision(bool shouldContinue, TimeSpan delay)
    {
        ShouldContinue = shouldContinue;
        Delay = delay;
    }

    /// <summary>True to check again.</summary>
    public bool ShouldContinue { get; }

    /// <summary>Delay before the next check.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Check again after <paramref name="delay"/>.</summary>
    public static WaitDecision ContinueAfter(TimeSpan delay) => new(true, delay);

    /// <summary>Stop: the wait ends successfully with the current state.</summary>
    public static WaitDecision Stop() => new(false, TimeSpan.Zero);
}

/// <summary>Built-in wait strategies.</summary>
public static class WaitStrategy
{
    /// <summary>Exponential delays until <paramref name="isDone"/>; fails after <paramref name="maxAttempts"/> checks.</summary>
    public static IWaitStrategy<TState> Exponential<TState>(Func<TState, bool> isDone,
        int maxAttempts = 60, TimeSpan? initialDelay = null, TimeSpan? maxDelay = null,
        double backoffRate = 1.5, JitterStrategy jitter = JitterStrategy.Full)
    {
        ArgumentNullException.ThrowIfNull(isDone);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        TimeSpan initial = initialDelay ?? TimeSpan.FromSeconds(5);
        TimeSpan max = maxDelay ?? TimeSpan.FromSeconds(300);
        Durations.RequireWholeSecondsAtLeastOne(initial, nameof(initialDelay));
        Durations.RequireWholeSecondsAtLeastOne(max, nameof(maxDelay));
        return FromDelegate<TState>((state, attempt) =>
        {
            if (isDone(state))
            {
                return WaitDecision.Stop();
            }

            if (attempt >= maxAttempts)
            {
                throw WaitForConditionAttemptsExhausted(maxAttempts);
            }

            return WaitDecision.ContinueAfter(Backoff.Delay(initial, max, backoffRate, jitter, attempt));
        });
    }

    /// <summary>A fixed delay until <paramref name="isDone"/>; fails after <paramref name="maxAttempts"/> checks.</summary>
    public static IWaitStrategy<TState> Fixed<TState>(Func<TState, bool> isDone, TimeSpan delay, int maxAttempts = 60)
    {
        ArgumentNullException.ThrowIfNull(isDone);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        Durations.RequireWholeSecondsAtLeastOne(delay, nameof(delay));
        return FromDelegate<TState>((state, attempt) =>
        {
            if (isDone(state))
            {
                return WaitDecision.Stop();
            }

            if (attempt >= maxAttempts)
            {
                throw WaitForConditionAttemptsExhausted(maxAttempts);
            }

            return WaitDecision.ContinueAfter(delay);
        });
    }

    /// <summary>A strategy from a delegate; throwing fails the operation.</summary>
    public static IWaitStrategy<TState> FromDelegate<TState>(Func<TState, int, WaitDecision> decide)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return new DelegateWaitStrategy<TState>(decide);
    }

    private static WaitForConditionException WaitForConditionAttemptsExhausted(int maxAttempts) =>
        new(new Protocol.ErrorObject
        {
            ErrorType = WaitForConditionException.AttemptsExhaustedErrorType,
            ErrorMessage = $"The condition was not met after {maxAttempts} attempts.",
        });

    private sealed class DelegateWaitStrategy<TState>(Func<TState, int, WaitDecision> decide) : IWaitStrategy<TState>
    {
        public WaitDecision ShouldContinue(TState state, int attemptNumber) => decide(state, attemptNumber);
    }
}
