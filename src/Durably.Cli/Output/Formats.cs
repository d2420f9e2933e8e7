using System.Globalization;
using System.Text;

namespace Durably.Cli.Output;

/// <summary>How values are shown to people: UTC ISO-8601 timestamps, short durations, one-line payloads.</summary>
internal static class Formats
{
    /// <summary>ISO-8601 in UTC with milliseconds, whatever the machine's time zone and culture: <c>2026-01-02T03:04:05.678Z</c>.</summary>
    public static string Timestamp(DateTimeOffset timestamp)
        => timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A duration in its two largest units: <c>850ms</c>, <c>12.3s</c>, <c>4m05s</c>, <c>2h03m</c>, <c>3d04h</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-" + Duration(-duration);
        }

        return duration switch
        {
            { TotalSeconds: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMilliseconds}ms"),
            { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.0}s"),
            { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{duration.Minutes}m{duration.Seconds:00}s"),
            { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{duration.Hours}h{duration.Minutes:00}m"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalDays}d{duration.Hours:00}h"),
        };
    }

    /// <summary>Seconds as a duration (<c>86400</c> → <c>1d00h</c>).</summary>
    public static string Seconds(int seconds) => Duration(TimeSpan.FromSeconds(seconds));

    /// <summary>A value on one line, at most <paramref name="maxLength"/> characters, ending in <c>…</c> when cut.</summary>
    public static string OneLine(string? value, int maxLength = 60)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var builder = new StringBuilder(Math.Min(value.Length, maxLength + 1));
        bool space = false;
        foreach (char c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(char.IsControl(c) ? '?' : c);
            if (builder.Length > maxLength)
            {
                builder.Length = maxLength - 1;
                return builder.Append('…').ToString();
            }
        }

        return builder.ToString();
    }

    /// <summary>An error as <c>Type: message</c>.</summary>
    public static string Error(Durably.Protocol.ErrorObject? error)
    {
        if (error is null)
        {
            return "";
        }

        return (error.ErrorType, error.ErrorMessage) switch
        {
            ({ } type, { } message) => $"{type}: {message}",
            ({ } type, null) => type,
            (null, { } message) => message,
            _ => "(no details)",
        };
    }
}
