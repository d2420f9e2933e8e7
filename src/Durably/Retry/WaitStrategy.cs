using System.Runtime.CompilerServices;

namespace Durably;

/// <summary>
/// Decides after each wait-for-condition check whether to continue polling. Implement either
/// <see cref="Decide"/> (AWS's name, the one the SDK calls) or <see cref="ShouldContinue"/> (Durably's first
/// name); each defaults to the other, so an implementation must override at least one.
/// </summary>
public interface IWaitStrategy<TState>
{
    /// <summary>Called with the new state and the 1-based check number.</summary>
    WaitDecision Decide(TState state, int attemptNumber) => ShouldContinue(state, attemptNumber);

    /// <summary>The same decision under Durably's first name.</summary>
    WaitDecision ShouldContinue(TState state, int attemptNumber) => Decide(state, attemptNumber);
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

/// <summary>
/// Built-in wait strategies. Each comes in two shapes: Durably's, with <c>isDone</c> first, and AWS's, with
/// <c>isDone</c> as an optional trailing parameter (no <c>isDone</c>: poll until the attempts run out). A call
/// with named arguments that fits both takes AWS's, which means the same.
/// </summary>
public static class WaitStrategy
{
    /// <summary>Exponential delays until <paramref name="isDone"/>; fails after <paramref name="maxAttempts"/> checks.</summary>
    public static IWaitStrategy<TState> Exponential<TState>(Func<TState, bool> isDone,
        int maxAttempts = 60, TimeSpan? initialDelay = null, TimeSpan? maxDelay = null,
        double backoffRate = 1.5, JitterStrategy jitter = JitterStrategy.Full)
    {
        ArgumentNullException.ThrowIfNull(isDone);
        return Exponential(maxAttempts, initialDelay, maxDelay, backoffRate, jitter, isDone);
    }

    /// <summary>Exponential delays (5 s, then × <paramref name="backoffRate"/>, at most <paramref name="maxDelay"/>) until <paramref name="isDone"/>; fails after <paramref name="maxAttempts"/> checks.</summary>
    [OverloadResolutionPriority(1)]
    public static IWaitStrategy<TState> Exponential<TState>(int maxAttempts = 60, TimeSpan? initialDelay = null, TimeSpan? maxDelay = null,
        double backoffRate = 1.5, JitterStrategy jitter = JitterStrategy.Full, Func<TState, bool>? isDone = null)
    {
        TimeSpan initial = initialDelay ?? TimeSpan.FromSeconds(5);
        TimeSpan max = maxDelay ?? TimeSpan.FromSeconds(300);
        Durations.RequireWholeSecondsAtLeastOne(initial, nameof(initialDelay));
        Durations.RequireWholeSecondsAtLeastOne(max, nameof(maxDelay));
        return Polling(isDone, maxAttempts, attempt => Backoff.Delay(initial, max, backoffRate, jitter, attempt));
    }

    /// <summary>
    /// Linear delays (<paramref name="initialDelay"/>, then + <paramref name="increment"/> per check, at most
    /// <paramref name="maxDelay"/> when given; 5 s and 5 s by default) until <paramref name="isDone"/>; fails after <paramref name="maxAttempts"/> checks.
    /// </summary>
    public static IWaitStrategy<TState> Linear<TState>(int maxAttempts = 60, TimeSpan? initialDelay = null, TimeSpan? increment = null,
        TimeSpan? maxDelay = null, Func<TState, bool>? isDone = null)
    {
        TimeSpan initial = initialDelay ?? TimeSpan.FromSeconds(5);
        TimeSpan step = increment ?? TimeSpan.FromSeconds(5);
        Durations.RequireWholeSecondsAtLeastOne(initial, nameof(initialDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(step, TimeSpan.Zero, nameof(increment));
        if (maxDelay is { } cap)
        {
            Durations.RequireWholeSecondsAtLeastOne(cap, nameof(maxDelay));
        }

        return Polling(isDone, maxAttempts, attempt =>
        {
            double seconds = initial.TotalSeconds + (step.TotalSeconds * (attempt - 1));
            return TimeSpan.FromSeconds(Math.Ceiling(Math.Min(seconds, maxDelay?.TotalSeconds ?? double.MaxValue)));
        });
    }

    /// <summary>A fixed delay until <paramref name="isDone"/>; fails after <paramref name="maxAttempts"/> checks.</summary>
    public static IWaitStrategy<TState> Fixed<TState>(Func<TState, bool> isDone, TimeSpan delay, int maxAttempts = 60)
    {
        ArgumentNullException.ThrowIfNull(isDone);
        return Fixed(delay, maxAttempts, isDone);
    }

    /// <summary>A fixed delay until <paramref name="isDone"/>; fails after <paramref name="maxAttempts"/> checks.</summary>
    [OverloadResolutionPriority(1)]
    public static IWaitStrategy<TState> Fixed<TState>(TimeSpan delay, int maxAttempts = 60, Func<TState, bool>? isDone = null)
    {
        Durations.RequireWholeSecondsAtLeastOne(delay, nameof(delay));
        return Polling(isDone, maxAttempts, _ => delay);
    }

    /// <summary>A strategy from a delegate; throwing fails the operation.</summary>
    public static IWaitStrategy<TState> FromDelegate<TState>(Func<TState, int, WaitDecision> decide)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return new DelegateWaitStrategy<TState>(decide);
    }

    /// <summary>Stops when <paramref name="isDone"/> (if any) says so, fails after <paramref name="maxAttempts"/> checks, else waits <paramref name="delayOf"/>(check number).</summary>
    private static IWaitStrategy<TState> Polling<TState>(Func<TState, bool>? isDone, int maxAttempts, Func<int, TimeSpan> delayOf)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        return FromDelegate<TState>((state, attempt) =>
        {
            if (isDone?.Invoke(state) == true)
            {
                return WaitDecision.Stop();
            }

            if (attempt >= maxAttempts)
            {
                throw WaitForConditionAttemptsExhausted(maxAttempts);
            }

            return WaitDecision.ContinueAfter(delayOf(attempt));
        });
    }

    private static WaitForConditionException WaitForConditionAttemptsExhausted(int maxAttempts) =>
        new(new Protocol.ErrorObject
        {
            ErrorType = WaitForConditionException.AttemptsExhaustedErrorType,
            ErrorMessage = $"The condition was not met after {maxAttempts} attempts.",
        }, checks: maxAttempts);

    private sealed class DelegateWaitStrategy<TState>(Func<TState, int, WaitDecision> decide) : IWaitStrategy<TState>
    {
        public WaitDecision Decide(TState state, int attemptNumber) => decide(state, attemptNumber);
    }
}
