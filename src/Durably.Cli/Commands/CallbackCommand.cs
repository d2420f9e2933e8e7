using System.CommandLine;

namespace Durably.Cli.Commands;

/// <summary><c>durably callback succeed|fail|heartbeat &lt;callback-id&gt;</c>: answers a pending callback.</summary>
internal static class CallbackCommand
{
    /// <summary>Builds the command and its three subcommands.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        var command = new Command("callback", "Answer a pending callback");
        command.Subcommands.Add(CallbackSucceedCommand.Create(options, console));
        command.Subcommands.Add(CallbackFailCommand.Create(options, console));
        command.Subcommands.Add(CallbackHeartbeatCommand.Create(options, console));
        return command;
    }

    /// <summary>The callback id argument.</summary>
    public static Argument<string> CallbackId() => new("callback-id") { Description = "The callback's id (from the CallbackStarted event)" };

    /// <summary>Prints the server's answer (<c>{}</c>) for <c>--json</c>, else a confirmation.</summary>
    public static int Done(CommandRuntime runtime, string json, string confirmation)
    {
        runtime.Console.Out.WriteLine(runtime.Json ? json : confirmation);
        return ExitCodes.Success;
    }
}
