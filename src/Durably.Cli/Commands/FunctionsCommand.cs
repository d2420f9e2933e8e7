using System.CommandLine;
using System.Globalization;
using Durably.Cli.Api;
using Durably.Cli.Output;

namespace Durably.Cli.Commands;

/// <summary><c>durably functions [add|remove]</c>: the server's registered functions and versions.</summary>
internal static class FunctionsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        var command = new Command("functions", "List the server's durable functions and their versions");
        command.Subcommands.Add(FunctionsAddCommand.Create(options, console));
        command.Subcommands.Add(FunctionsRemoveCommand.Create(options, console));
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            var pages = new List<string>();
            var functions = new List<FunctionConfiguration>();
            string? marker = null;
            do
            {
                ApiResult<FunctionsPage> page = await runtime.Api.ListFunctionsAsync(marker, cancellationToken).ConfigureAwait(false);
                pages.Add(page.Json);
                functions.AddRange(page.Value.Functions);
                marker = page.Value.NextMarker;
            }
            while (marker is not null);

            if (runtime.Json)
            {
                runtime.Console.Out.WriteLine(JsonPages.Merge(pages, nameof(FunctionsPage.Functions)));
            }
            else if (functions.Count == 0)
            {
                runtime.Note("no functions");
            }
            else
            {
                new Table(
                    runtime.Console.Out, runtime.Out,
                    new Column("NAME"), new Column("VERSION"), new Column("TIMEOUT", AlignRight: true), new Column("RETENTION", AlignRight: true), new Column("ARN"))
                    .Write(functions.Select(f => new Cell[]
                    {
                        f.FunctionName,
                        f.Version ?? "",
                        f.DurableConfig is { } timeout ? Formats.Seconds(timeout.ExecutionTimeout) : "",
                        f.DurableConfig is { } retention ? string.Create(CultureInfo.InvariantCulture, $"{retention.RetentionPeriodInDays}d") : "",
                        f.FunctionArn ?? "",
                    }));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
