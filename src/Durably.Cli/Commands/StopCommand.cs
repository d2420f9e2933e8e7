using System.CommandLine;
using Durably.Cli.Api;
using Durably.Cli.Output;

namespace Durably.Cli.Commands;

/// <summary><c>durably stop &lt;arn&gt;</c>: stops an execution (idempotent on a closed one).</summary>
internal static class StopCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        Argument<string> arn = CommonOptions.ExecutionArn();
        var error = new ErrorOptions(withData: false);

        var command = new Command("stop", "Stop a durable execution");
        command.Arguments.Add(arn);
        error.AddTo(command);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            string executionArn = parseResult.GetValue(arn)!;
            ApiResult<StopResult> result = await runtime.Api.StopAsync(executionArn, error.Read(parseResult), cancellationToken).ConfigureAwait(false);
            runtime.Console.Out.WriteLine(runtime.Json
                ? result.Json
                : $"{runtime.Out.Status("STOPPED")} {executionArn} at {Formats.Timestamp(result.Value.StopTimestamp)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
