using System.CommandLine;

namespace Durably.Cli.Commands;

/// <summary>Wires a command's body to a <see cref="CommandRuntime"/> built from the global options.</summary>
internal static class CommandSetup
{
    /// <summary>Sets the command's action: create the runtime, run the body, return its exit code.</summary>
    public static void SetRun(
        this Command command, GlobalOptions options, CliConsole console, Func<CommandRuntime, ParseResult, CancellationToken, Task<int>> run)
        => command.SetAction(async (parseResult, cancellationToken) =>
        {
            using CommandRuntime runtime = CommandRuntime.Create(parseResult, options, console);
            return await run(runtime, parseResult, cancellationToken).ConfigureAwait(false);
        });
}
