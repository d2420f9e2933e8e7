using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Durably.Cli.Api;
using Durably.Cli.Commands;

namespace Durably.Cli;

/// <summary>
/// The tool: parses a command line, runs the command against the server and maps failures to exit codes —
/// 2 for usage errors, 1 for server errors (printed as <c>ErrorName: message</c>) and an unreachable server.
/// </summary>
internal static class DurablyCli
{
    /// <summary>Runs <paramref name="args"/> against <paramref name="console"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        Command root = CreateRootCommand(console);
        ParseResult parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            return UsageError(console, parseResult.Errors, parseResult.CommandResult.Command);
        }

        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = console.HandlesCtrlC ? TimeSpan.FromSeconds(2) : null,
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException exception)
        {
            return UsageError(console, [exception.Message], parseResult.CommandResult.Command);
        }
        catch (DurableServiceException exception)
        {
            return Failure(console, $"{exception.ErrorCode}: {exception.Message}");
        }
        catch (ServerUnreachableException exception)
        {
            return Failure(console, exception.Message);
        }
        catch (HttpRequestException exception)
        {
            return Failure(console, $"the request to the Durably server failed: {exception.Message}");
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C (or the caller's token): the only cancellation there is, as requests have no timeout.
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>The command tree: every command, with the global options.</summary>
    public static Command CreateRootCommand(CliConsole console)
    {
        var options = new GlobalOptions();

        // A plain command rather than RootCommand, whose name would be the assembly's (Durably.Cli), not the tool's.
        var root = new Command("durably", "Run and inspect durable executions on a Durably server")
        {
            new HelpOption(),
            new VersionOption(),
        };
        options.AddTo(root);
        root.Subcommands.Add(InvokeCommand.Create(options, console));
        root.Subcommands.Add(ListCommand.Create(options, console));
        root.Subcommands.Add(GetCommand.Create(options, console));
        root.Subcommands.Add(HistoryCommand.Create(options, console));
        root.Subcommands.Add(ExportCommand.Create(options, console));
        root.Subcommands.Add(CallbackCommand.Create(options, console));
        root.Subcommands.Add(StopCommand.Create(options, console));
        root.Subcommands.Add(FunctionsCommand.Create(options, console));
        root.Subcommands.Add(SubscriptionsCommand.Create(options, console));
        root.Subcommands.Add(ServerCommand.Create(options, console));
        root.Subcommands.Add(HealthCommand.Create(options, console));
        return root;
    }

    private static int UsageError(CliConsole console, IEnumerable<object> errors, Command command)
    {
        var style = new Output.Style(console.ColorError);
        foreach (object error in errors)
        {
            string message = error is ParseError parseError ? parseError.Message : error.ToString()!;
            console.Error.WriteLine($"{style.Red("error:")} {message}");
        }

        string path = string.Join(' ', Ancestry(command).Reverse());
        console.Error.WriteLine($"Run '{path} --help' for usage.");
        return ExitCodes.Usage;
    }

    private static IEnumerable<string> Ancestry(Command command)
    {
        for (Command? current = command; current is not null; current = current.Parents.OfType<Command>().FirstOrDefault())
        {
            yield return current.Name;
        }
    }

    private static int Failure(CliConsole console, string message)
    {
        console.Error.WriteLine($"{new Output.Style(console.ColorError).Red("error:")} {message}");
        return ExitCodes.Failure;
    }
}
