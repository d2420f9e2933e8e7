using System.CommandLine;

namespace Durably.Cli.Commands;

/// <summary>
/// <c>durably functions remove &lt;name&gt; [--version V]</c>: removes HTTP functions registered at run time
/// (<c>DELETE /durably/functions/{name}</c>); executions pinned to a removed version wait until it is registered again.
/// </summary>
internal static class FunctionsRemoveCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        var name = new Argument<string>("name") { Description = "The function name" };
        var version = new Option<string?>("--version") { Description = "Only this version (default: every run-time registered version)", HelpName = "version" };

        var command = new Command("remove", "Remove an HTTP function registered at run time");
        command.Arguments.Add(name);
        command.Options.Add(version);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            string function = parseResult.GetValue(name)!;
            string? only = parseResult.GetValue(version);
            await runtime.Api.RemoveHttpFunctionAsync(function, only, cancellationToken).ConfigureAwait(false);
            if (!runtime.Json)
            {
                runtime.Console.Out.WriteLine($"removed {function}{(only is null ? "" : ":" + only)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
