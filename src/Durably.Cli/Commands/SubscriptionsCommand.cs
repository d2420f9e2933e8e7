using System.CommandLine;
using System.Globalization;
using Durably.Cli.Api;
using Durably.Cli.Output;

namespace Durably.Cli.Commands;

/// <summary>
/// <c>durably subscriptions [add|remove|dead-letters|redeliver]</c>: the server's webhook subscriptions to status-change
/// events (docs/events.md); needs an Admin key on a server with keys.
/// </summary>
internal static class SubscriptionsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        var command = new Command("subscriptions", "List the server's webhook subscriptions to status-change events");
        command.Subcommands.Add(SubscriptionsAddCommand.Create(options, console));
        command.Subcommands.Add(SubscriptionsRemoveCommand.Create(options, console));
        command.Subcommands.Add(SubscriptionsDeadLettersCommand.CreateList(options, console));
        command.Subcommands.Add(SubscriptionsDeadLettersCommand.CreateRedeliver(options, console));
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            ApiResult<EventSubscriptionList> result = await runtime.Api.ListSubscriptionsAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<EventSubscriptionSummary> subscriptions = result.Value.Subscriptions;
            if (runtime.Json)
            {
                runtime.Console.Out.WriteLine(result.Json);
            }
            else if (subscriptions.Count == 0)
            {
                runtime.Note("no subscriptions");
            }
            else
            {
                new Table(
                    runtime.Console.Out, runtime.Out,
                    new Column("NAME"), new Column("SOURCE"), new Column("DEAD", AlignRight: true), new Column("URL"), new Column("PATTERN"))
                    .Write(subscriptions.Select(s => new Cell[]
                    {
                        s.Name, s.Source, s.DeadLetters.ToString(CultureInfo.InvariantCulture), s.Url, Formats.OneLine(s.Pattern.GetRawText()),
                    }));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
