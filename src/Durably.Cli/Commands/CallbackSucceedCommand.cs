using System.CommandLine;

namespace Durably.Cli.Commands;

/// <summary><c>durably callback succeed &lt;callback-id&gt; [payload]</c>: the payload's raw bytes are the callback's result.</summary>
internal static class CallbackSucceedCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        Argument<string> callbackId = CallbackCommand.CallbackId();
        var payload = new Payload();
        var command = new Command("succeed", "Complete a callback successfully with a result");
        command.Arguments.Add(callbackId);
        payload.AddTo(command);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            string id = parseResult.GetValue(callbackId)!;
            byte[] result = await payload.ReadAsync(parseResult, console, cancellationToken).ConfigureAwait(false);
            var answer = await runtime.Api.SucceedCallbackAsync(id, result, cancellationToken).ConfigureAwait(false);
            return CallbackCommand.Done(runtime, answer.Json, $"callback {id}: {runtime.Out.Green("succeeded")}");
        });
        return command;
    }
}
