using System.CommandLine;
using System.Globalization;
using Durably.Cli.Api;
using Durably.Cli.Output;
using Durably.Protocol;

namespace Durably.Cli.Commands;

/// <summary><c>durably get &lt;arn&gt;</c>: one execution's status, times, input, result or error.</summary>
internal static class GetCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        Argument<string> arn = CommonOptions.ExecutionArn();
        var noData = new Option<bool>("--no-data") { Description = "Leave out the input, result and error" };

        var command = new Command("get", "Show a durable execution");
        command.Arguments.Add(arn);
        command.Options.Add(noData);
        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            ApiResult<DurableExecutionDescription> result = await runtime.Api
                .GetExecutionAsync(parseResult.GetValue(arn)!, !parseResult.GetValue(noData), cancellationToken).ConfigureAwait(false);
            if (runtime.Json)
            {
                runtime.Console.Out.WriteLine(result.Json);
            }
            else
            {
                Write(runtime, result.Value);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(CommandRuntime runtime, DurableExecutionDescription execution)
    {
        DateTimeOffset end = execution.EndTimestamp ?? runtime.Console.Time.GetUtcNow();
        var rows = new List<Cell[]>
        {
            Row(runtime, "ARN", execution.DurableExecutionArn),
            Row(runtime, "Name", execution.DurableExecutionName),
            Row(runtime, "Function", execution.FunctionArn),
        };
        AddIfSet(rows, runtime, "Version", execution.Version);
        rows.Add([new Cell("Status", runtime.Out.Bold), new Cell(Statuses.Name(execution.Status), runtime.Out.Status)]);
        rows.Add(Row(runtime, "Started", Formats.Timestamp(execution.StartTimestamp)));
        AddIfSet(rows, runtime, "Ended", execution.EndTimestamp is { } ended ? Formats.Timestamp(ended) : null);
        rows.Add(Row(runtime, "Duration", Formats.Duration(end - execution.StartTimestamp)));
        AddIfSet(rows, runtime, "Input", execution.InputPayload);
        AddIfSet(rows, runtime, "Result", execution.Result);
        if (execution.Error is { } error)
        {
            rows.Add([new Cell("Error", runtime.Out.Bold), new Cell(Formats.Error(error), runtime.Out.Red)]);
            AddIfSet(rows, runtime, "Error data", error.ErrorData);
        }

        if (execution.DurableConfig is { } config)
        {
            rows.Add(Row(runtime, "Timeout", Formats.Seconds(config.ExecutionTimeout)));
            rows.Add(Row(runtime, "Retention", string.Create(CultureInfo.InvariantCulture, $"{config.RetentionPeriodInDays} days")));
        }

        if (execution.ExecutionDataIncluded == false)
        {
            rows.Add(Row(runtime, "Data", "not included"));
        }

        new Table(runtime.Console.Out, runtime.Out, new Column(""), new Column("")).WriteRows(rows);
    }

    private static Cell[] Row(CommandRuntime runtime, string label, string value) => [new Cell(label, runtime.Out.Bold), value];

    private static void AddIfSet(List<Cell[]> rows, CommandRuntime runtime, string label, string? value)
    {
        if (value is not null)
        {
            rows.Add(Row(runtime, label, value));
        }
    }
}
