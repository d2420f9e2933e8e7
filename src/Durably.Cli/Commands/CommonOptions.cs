using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Durably.Cli.Commands;

/// <summary>Argument parsers shared by commands; their errors are usage errors (exit code 2).</summary>
internal static class CommonOptions
{
    /// <summary>The execution statuses, as the API names them.</summary>
    public static readonly string[] Statuses = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"];

    /// <summary>An execution ARN argument.</summary>
    public static Argument<string> ExecutionArn() => new("arn") { Description = "The durable execution's ARN" };

    /// <summary>An ISO-8601 time; without an offset it is UTC.</summary>
    public static Option<DateTimeOffset?> Timestamp(string name, string description) => new(name)
    {
        Description = description + " (ISO-8601, e.g. 2026-01-02T03:04:05Z; UTC unless an offset is given)",
        HelpName = "time",
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value))
            {
                return value;
            }

            result.AddError($"{name}: '{text}' is not an ISO-8601 time, e.g. 2026-01-02T03:04:05Z.");
            return null;
        },
    };

    /// <summary>A status filter, repeatable, any letter case (<c>--status running --status FAILED</c>).</summary>
    public static Option<string[]> Status() => new("--status", "-s")
    {
        Description = $"Only executions with this status; repeatable ({string.Join(", ", Statuses)})",
        HelpName = "status",
        CustomParser = ParseStatuses,
    };

    /// <summary>A page size, 1..1000.</summary>
    public static Option<int?> MaxItems() => new("--max-items")
    {
        Description = "Page size, 1..1000 (the server's default is 100)",
        HelpName = "n",
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value is >= 1 and <= 1000)
            {
                return value;
            }

            result.AddError($"--max-items: '{text}' is not a number between 1 and 1000.");
            return null;
        },
    };

    private static string[] ParseStatuses(ArgumentResult result)
    {
        var statuses = new List<string>();
        foreach (Token token in result.Tokens)
        {
            string status = token.Value.ToUpperInvariant().Replace('-', '_');
            if (!Statuses.Contains(status))
            {
                result.AddError($"--status: '{token.Value}' is not a status; use one of {string.Join(", ", Statuses)}.");
            }

            statuses.Add(status);
        }

        return [.. statuses];
    }
}
