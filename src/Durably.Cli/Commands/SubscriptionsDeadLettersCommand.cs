using System.CommandLine;
using System.Globalization;
using Durably.Cli.Api;
using Durably.Cli.Output;

namespace Durably.Cli.Commands;

/// <summary>
/// <c>durably subscriptions dead-letters &lt;name&gt;</c> lists the events a subscription gave up on;
/// <c>durably subscriptions redeliver &lt;name&gt; --position N</c> delivers one again (exit 1 when the receiver refuses it again).
/// </summary>
internal static class SubscriptionsDeadLettersCommand
{
    /// <summary>Builds <c>dead-letters</c>.</summary>
    public static Command CreateList(GlobalOptions options, CliConsole console)
    {
        var name = new Argument<string>("name") { Description = "The subscription name" };
        var command = new Command("dead-letters", "List the events a subscription gave up on after its last retry");
        command.Arguments.Add(name);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            ApiResult<DeadLetterList> result = await runtime.Api.ListDeadLettersAsync(parseResult.GetValue(name)!, cancellationToken).ConfigureAwait(false);
            if (runtime.Json)
            {
                runtime.Console.Out.WriteLine(result.Json);
            }
            else if (result.Value.DeadLetters.Count == 0)
            {
                runtime.Note("no dead letters");
            }
            else
            {
                new Table(
                    runtime.Console.Out, runtime.Out,
                    new Column("POSITION", AlignRight: true), new Column("ATTEMPTS", AlignRight: true), new Column("FAILED"), new Column("ERROR"))
                    .Write(result.Value.DeadLetters.Select(letter => new Cell[]
                    {
                        letter.Position.ToString(CultureInfo.InvariantCulture), letter.Attempts.ToString(CultureInfo.InvariantCulture),
                        Formats.Timestamp(letter.FailedAt), Formats.OneLine(letter.LastError),
                    }));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Builds <c>redeliver</c>.</summary>
    public static Command CreateRedeliver(GlobalOptions options, CliConsole console)
    {
        var name = new Argument<string>("name") { Description = "The subscription name" };
        var position = new Option<long>("--position") { Description = "The dead letter's position (see dead-letters)", HelpName = "n", Required = true };
        var command = new Command("redeliver", "Deliver a dead letter again, once");
        command.Arguments.Add(name);
        command.Options.Add(position);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            long at = parseResult.GetValue(position);
            ApiResult<RedeliveryResult> result = await runtime.Api.RedeliverAsync(parseResult.GetValue(name)!, at, cancellationToken).ConfigureAwait(false);
            runtime.Console.Out.WriteLine(runtime.Json
                ? result.Json
                : result.Value.Delivered ? $"delivered {at}" : $"not delivered {at}: the receiver refused it again (see dead-letters)");
            return result.Value.Delivered ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
