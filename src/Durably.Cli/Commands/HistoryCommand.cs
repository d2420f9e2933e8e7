using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Durably.Cli.Api;
using Durably.Cli.Output;
using Durably.Protocol;

namespace Durably.Cli.Commands;

/// <summary><c>durably history &lt;arn&gt;</c>: an execution's events as a table; <c>--follow</c> tails them live.</summary>
internal static class HistoryCommand
{
    /// <summary>How often <c>--follow</c> asks for new events unless <c>--poll-interval</c> says otherwise.</summary>
    public const int DefaultPollIntervalMilliseconds = 1000;

    private static readonly HashSet<string> TerminalEvents =
    [
        HistoryEventTypes.ExecutionSucceeded, HistoryEventTypes.ExecutionFailed, HistoryEventTypes.ExecutionTimedOut, HistoryEventTypes.ExecutionStopped,
    ];

    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        Argument<string> arn = CommonOptions.ExecutionArn();
        var follow = new Option<bool>("--follow") { Description = "Keep printing new events until the execution ends (Ctrl+C to stop); with --json, one event per line" };
        var reverse = new Option<bool>("--reverse") { Description = "Newest event first" };
        var pollInterval = new Option<int>("--poll-interval")
        {
            Description = "With --follow: milliseconds between polls",
            HelpName = "ms",
            DefaultValueFactory = _ => DefaultPollIntervalMilliseconds,
            CustomParser = result =>
            {
                string text = result.Tokens[0].Value;
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= 1)
                {
                    return value;
                }

                result.AddError($"--poll-interval: '{text}' is not a number of milliseconds (at least 1).");
                return 0;
            },
        };

        var command = new Command("history", "Show a durable execution's history events");
        command.Arguments.Add(arn);
        command.Options.Add(follow);
        command.Options.Add(reverse);
        command.Options.Add(pollInterval);
        command.Validators.Add(result =>
        {
            if (result.GetValue(follow) && result.GetValue(reverse))
            {
                result.AddError("--follow: cannot be combined with --reverse.");
            }
        });
        command.SetRun(options, console, (runtime, parseResult, cancellationToken) => parseResult.GetValue(follow)
            ? FollowAsync(runtime, parseResult.GetValue(arn)!, TimeSpan.FromMilliseconds(parseResult.GetValue(pollInterval)), cancellationToken)
            : ShowAsync(runtime, parseResult.GetValue(arn)!, parseResult.GetValue(reverse), cancellationToken));
        return command;
    }

    private static async Task<int> ShowAsync(CommandRuntime runtime, string arn, bool reverse, CancellationToken cancellationToken)
    {
        var pages = new List<string>();
        var events = new List<HistoryEvent>();
        string? marker = null;
        do
        {
            ApiResult<EventsPage> page = await runtime.Api.GetHistoryAsync(arn, marker, reverse, cancellationToken).ConfigureAwait(false);
            pages.Add(page.Json);
            events.AddRange(page.Value.Events);
            marker = page.Value.NextMarker;
        }
        while (marker is not null);

        if (runtime.Json)
        {
            runtime.Console.Out.WriteLine(JsonPages.Merge(pages, nameof(EventsPage.Events)));
        }
        else
        {
            CreateTable(runtime).Write(events.Select(e => Row(runtime, e)));
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Pages through the history, then re-reads the last page's marker (markers are position-based and
    /// reusable, WIRE-DETAILS.md §D.4) every <paramref name="interval"/>, printing events not yet printed,
    /// until the terminal Execution* event.
    /// </summary>
    private static async Task<int> FollowAsync(CommandRuntime runtime, string arn, TimeSpan interval, CancellationToken cancellationToken)
    {
        Table table = CreateTable(runtime);
        if (!runtime.Json)
        {
            table.WriteHeader();
        }

        string? marker = null;
        int lastEventId = 0;
        try
        {
            while (true)
            {
                ApiResult<EventsPage> page = await runtime.Api.GetHistoryAsync(arn, marker, reverse: false, cancellationToken).ConfigureAwait(false);
                using JsonDocument raw = JsonDocument.Parse(page.Json);
                JsonElement[] rawEvents = [.. raw.RootElement.GetProperty(nameof(EventsPage.Events)).EnumerateArray()];
                for (int i = 0; i < page.Value.Events.Count; i++)
                {
                    HistoryEvent historyEvent = page.Value.Events[i];
                    if (historyEvent.EventId <= lastEventId)
                    {
                        continue;
                    }

                    lastEventId = historyEvent.EventId;
                    if (runtime.Json)
                    {
                        runtime.Console.Out.WriteLine(rawEvents[i].GetRawText());
                    }
                    else
                    {
                        table.WriteRow(Row(runtime, historyEvent));
                    }

                    if (TerminalEvents.Contains(historyEvent.EventType))
                    {
                        return ExitCodes.Success;
                    }
                }

                if (page.Value.NextMarker is { } next)
                {
                    marker = next;
                    continue;
                }

                await Task.Delay(interval, runtime.Console.Time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
    }

    private static Table CreateTable(CommandRuntime runtime) => new(
        runtime.Console.Out, runtime.Out,
        new Column("ID", 3, AlignRight: true), new Column("TIME", 24), new Column("TYPE", 22), new Column("NAME", 16), new Column("OP ID", 12), new Column("DETAILS"));

    private static Cell[] Row(CommandRuntime runtime, HistoryEvent e) =>
    [
        e.EventId.ToString(CultureInfo.InvariantCulture),
        Formats.Timestamp(e.EventTimestamp),
        new(e.EventType, runtime.Out.EventType),
        e.Name ?? "",
        e.Id is { Length: > 12 } id ? id[..12] : e.Id ?? "",
        EventDetails.Summarize(e),
    ];
}
