using System.CommandLine;

namespace Durably.Cli.Commands;

/// <summary><c>durably callback heartbeat &lt;callback-id&gt;</c>: resets a callback's heartbeat timer.</summary>
internal static class CallbackHeartbeatCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        Argument<string> callbackId = CallbackCommand.CallbackId();
        var command = new Command("heartbeat", "Tell a callback's execution that the callback is still being worked on");
        command.Arguments.Add(callbackId);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            string id = parseResult.GetValue(callbackId)!;
            var answer = await runtime.Api.HeartbeatCallbackAsync(id, cancellationToken).ConfigureAwait(false);
            return CallbackCommand.Done(runtime, answer.Json, $"callback {id}: heartbeat sent");
        });
        return command;
    }
}
