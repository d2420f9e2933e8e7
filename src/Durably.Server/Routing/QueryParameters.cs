using System.Globalization;
using Durably.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Durably.Server.Routing;

/// <summary>Strict reading of query parameters: a value that does not parse is a 400 naming the parameter.</summary>
internal sealed class QueryParameters(IQueryCollection query)
{
    private static readonly Dictionary<string, ExecutionStatus> Statuses = new(StringComparer.Ordinal)
    {
        ["RUNNING"] = ExecutionStatus.Running,
        ["SUCCEEDED"] = ExecutionStatus.Succeeded,
        ["FAILED"] = ExecutionStatus.Failed,
        ["TIMED_OUT"] = ExecutionStatus.TimedOut,
        ["STOPPED"] = ExecutionStatus.Stopped,
    };

    /// <summary>The single value of <paramref name="name"/>; null when absent.</summary>
    public string? GetString(string name)
    {
        StringValues values = query[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw ApiErrors.InvalidParameter($"Query parameter {name} must appear at most once."),
        };
    }

    public bool? GetBoolean(string name) => GetString(name) switch
    {
        null => null,
        { } value when value.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        { } value when value.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        { } value => throw ApiErrors.InvalidParameter($"Query parameter {name} must be true or false; got '{Shorten(value)}'."),
    };

    public int? GetInt32(string name, int min, int max)
    {
        string? value = GetString(name);
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= min && number <= max
            ? number
            : throw ApiErrors.InvalidParameter($"Query parameter {name} must be an integer between {min} and {max}; got '{Shorten(value)}'.");
    }

    /// <summary>An ISO-8601 timestamp (what AWS's clients send) or epoch seconds.</summary>
    public DateTimeOffset? GetTimestamp(string name)
    {
        string? value = GetString(name);
        if (value is null)
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds)
            && seconds <= 253_402_300_799)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        }

        return value.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset timestamp)
            ? timestamp
            : throw ApiErrors.InvalidParameter($"Query parameter {name} must be an ISO-8601 timestamp (2026-01-01T00:00:00Z) or epoch seconds; got '{Shorten(value)}'.");
    }

    /// <summary>Execution statuses, as repeated keys (<c>Statuses=RUNNING&amp;Statuses=FAILED</c>) or comma-separated.</summary>
    public IReadOnlyCollection<ExecutionStatus>? GetStatuses(string name)
    {
        StringValues values = query[name];
        if (values.Count == 0)
        {
            return null;
        }

        var statuses = new HashSet<ExecutionStatus>();
        foreach (string value in values.SelectMany(value => (value ?? "").Split(',')))
        {
            statuses.Add(Statuses.TryGetValue(value, out ExecutionStatus status)
                ? status
                : throw ApiErrors.InvalidParameter(
                    $"Query parameter {name} has an unknown status '{Shorten(value)}'; expected RUNNING, SUCCEEDED, FAILED, TIMED_OUT or STOPPED."));
        }

        return statuses;
    }

    /// <summary>Echoes at most 100 characters of a bad value, so a huge one does not make a huge error.</summary>
    public static string Shorten(string value) => ServiceErrorCodes.Shorten(value);
}
