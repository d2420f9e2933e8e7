using System.CommandLine;
using Durably.Cli.Api;
using Durably.Cli.Output;
using Durably.Protocol;

namespace Durably.Cli.Commands;

/// <summary><c>durably list &lt;function&gt;</c>: a function's executions, newest first, filtered.</summary>
internal static class ListCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions options, CliConsole console)
    {
        var function = new Argument<string>("function") { Description = "The function: name, name:version or function ARN" };
        Option<string[]> status = CommonOptions.Status();
        var name = new Option<string?>("--name", "-n") { Description = "Only the execution with this name", HelpName = "name" };
        Option<DateTimeOffset?> after = CommonOptions.Timestamp("--started-after", "Only executions started after this time");
        Option<DateTimeOffset?> before = CommonOptions.Timestamp("--started-before", "Only executions started before this time");
        var reverse = new Option<bool>("--reverse") { Description = "Oldest first" };
        Option<int?> maxItems = CommonOptions.MaxItems();
        var all = new Option<bool>("--all") { Description = "Fetch every page, not just the first" };

        var command = new Command("list", "List a function's durable executions (newest first)");
        command.Arguments.Add(function);
        foreach (Option option in new Option[] { status, name, after, before, reverse, maxItems, all })
        {
            command.Options.Add(option);
        }

        command.SetRun(options, console, async (runtime, parseResult, cancellationToken) =>
        {
            var filter = new ExecutionFilter
            {
                Statuses = parseResult.GetValue(status) ?? [],
                Name = parseResult.GetValue(name),
                StartedAfter = parseResult.GetValue(after),
                StartedBefore = parseResult.GetValue(before),
                Reverse = parseResult.GetValue(reverse),
                MaxItems = parseResult.GetValue(maxItems),
            };
            var pages = new List<string>();
            var executions = new List<DurableExecutionSummary>();
            string? marker = null;
            do
            {
                ApiResult<ExecutionsPage> page = await runtime.Api.ListExecutionsAsync(parseResult.GetValue(function)!, filter, marker, cancellationToken)
                    .ConfigureAwait(false);
                pages.Add(page.Json);
                executions.AddRange(page.Value.DurableExecutions);
                marker = page.Value.NextMarker;
            }
            while (marker is not null && parseResult.GetValue(all));

            if (runtime.Json)
            {
                runtime.Console.Out.WriteLine(JsonPages.Merge(pages, nameof(ExecutionsPage.DurableExecutions)));
                return ExitCodes.Success;
            }

            WriteTable(runtime, executions);
            if (marker is not null)
            {
                runtime.Note("more executions: add --all to fetch every page");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteTable(CommandRuntime runtime, List<DurableExecutionSummary> executions)
    {
        if (executions.Count == 0)
        {
            runtime.Note("no executions");
            return;
        }

        DateTimeOffset now = runtime.Console.Time.GetUtcNow();
        var table = new Table(
            runtime.Console.Out, runtime.Out,
            new Column("NAME"), new Column("STATUS"), new Column("STARTED"), new Column("DURATION", AlignRight: true), new Column("ARN"));
        table.Write(executions.Select(e => new Cell[]
        {
            e.DurableExecutionName,
            new(Statuses.Name(e.Status), runtime.Out.Status),
            Formats.Timestamp(e.StartTimestamp),
            Formats.Duration((e.EndTimestamp ?? now) - e.StartTimestamp),
            e.DurableExecutionArn,
        }));
    }
}
