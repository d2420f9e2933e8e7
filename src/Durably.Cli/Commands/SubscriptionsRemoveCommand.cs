using System.CommandLine;

namespace Durably.Cli.Commands;

/// <summary><c>durably subscriptions remove &lt;name&gt;</c>: removes a run-time subscription (<c>DELETE /durably/subscriptions/{name}</c>).</summary>
internal static class SubscriptionsRemoveCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        var name = new Argument<string>("name") { Description = "The subscription name" };
        var command = new Command("remove", "Remove a webhook subscription added at run time");
        command.Arguments.Add(name);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            string subscription = parseResult.GetValue(name)!;
            await runtime.Api.RemoveSubscriptionAsync(subscription, cancellationToken).ConfigureAwait(false);
            if (!runtime.Json)
            {
                runtime.Console.Out.WriteLine($"removed {subscription}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
