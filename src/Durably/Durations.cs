namespace Durably;

/// <summary>Validation and conversion of durations to the wire's whole seconds.</summary>
internal static class Durations
{
    /// <summary>The longest wait, delay or timeout the protocol allows (366 days).</summary>
    public const int MaxSeconds = 31_622_400;

    public static void RequireWholeSecondsAtLeastOne(TimeSpan value, string paramName)
    {
        if (value < TimeSpan.FromSeconds(1) || value.TotalSeconds > MaxSeconds)
        {
            throw new ArgumentOutOfRangeException(paramName, value,
                $"{paramName} must be between 1 second and {MaxSeconds} seconds (366 days); got {value}.");
        }
    }

    /// <summary>Seconds for a wait or delay: at least 1 s, sub-second or over the limit rejected.</summary>
    public static int ToWaitSeconds(TimeSpan value, string paramName)
    {
        RequireWholeSecondsAtLeastOne(value, paramName);
        return (int)Math.Ceiling(value.TotalSeconds);
    }

    /// <summary>Seconds for an optional timeout: Zero means none, otherwise at least 1 s.</summary>
    public static int ToTimeoutSeconds(TimeSpan value, string paramName)
    {
        if (value == TimeSpan.Zero)
        {
            return 0;
        }

        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must not be negative; got {value}. Use TimeSpan.Zero for no timeout.");
        }

        RequireWholeSecondsAtLeastOne(value, paramName);
        return (int)Math.Ceiling(value.TotalSeconds);
    }

    /// <summary>Seconds for a retry decision's delay: at least 1, at most the protocol's limit.</summary>
    public static int ToDelaySeconds(TimeSpan value) =>
        (int)Math.Clamp(Math.Ceiling(value.TotalSeconds), 1, MaxSeconds);
}
