using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Durably.Cli.Api;
using Durably.Cli.Output;
using Durably.Protocol;

namespace Durably.Cli.Commands;

/// <summary>
/// <c>durably export &lt;arn&gt; [--output file]</c>: the execution, its operations and its history in one JSON file,
/// for replay-from-history tests (docs/testing.md).
/// </summary>
internal static class ExportCommand
{
    /// <summary>Indented, so a golden file committed next to tests diffs line by line; payload strings are kept as sent.</summary>
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        Argument<string> arn = CommonOptions.ExecutionArn();
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the export to this file instead of standard output", HelpName = "file" };

        var command = new Command("export", "Write a durable execution's input, operations and history to one JSON file (for replay tests)");
        command.Arguments.Add(arn);
        command.Options.Add(output);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            string executionArn = parseResult.GetValue(arn)!;
            ApiResult<ExecutionExport> export = await runtime.Api.ExportExecutionAsync(executionArn, cancellationToken).ConfigureAwait(false);
            string text = JsonNode.Parse(export.Json)!.ToJsonString(Indented);
            if (parseResult.GetValue(output) is not { } file)
            {
                runtime.Console.Out.WriteLine(text);
                return ExitCodes.Success;
            }

            try
            {
                await File.WriteAllTextAsync(file.FullName, text + "\n", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"--output: cannot write '{file}': {exception.Message}");
            }

            runtime.Console.Out.WriteLine(runtime.Json
                ? JsonSerializer.Serialize(new { File = file.FullName, Operations = export.Value.Operations.Count, Events = export.Value.Events.Count })
                : $"Exported {executionArn} ({Statuses.Name(export.Value.Execution.Status)}, {export.Value.Operations.Count} operations, {export.Value.Events.Count} events) to {file.FullName}");
            return ExitCodes.Success;
        });
        return command;
    }
}
