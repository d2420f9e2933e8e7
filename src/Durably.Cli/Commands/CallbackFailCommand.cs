using System.CommandLine;

namespace Durably.Cli.Commands;

/// <summary><c>durably callback fail &lt;callback-id&gt;</c>: completes a callback with an error.</summary>
internal static class CallbackFailCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        Argument<string> callbackId = CallbackCommand.CallbackId();
        var error = new ErrorOptions(withData: true);
        var command = new Command("fail", "Complete a callback with an error");
        command.Arguments.Add(callbackId);
        error.AddTo(command);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            string id = parseResult.GetValue(callbackId)!;
            var answer = await runtime.Api.FailCallbackAsync(id, error.Read(parseResult), cancellationToken).ConfigureAwait(false);
            return CallbackCommand.Done(runtime, answer.Json, $"callback {id}: {runtime.Out.Red("failed")}");
        });
        return command;
    }
}
