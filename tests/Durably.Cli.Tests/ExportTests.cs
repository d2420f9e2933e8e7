using System.Text.Json;
using Durably.Protocol;

namespace Durably.Cli.Tests;

public sealed class ExportTests
{
    [Fact]
    public async Task Output_writes_the_export_file_and_says_what_it_holds()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        string arn = await server.GreetAdaAsync();
        string file = Path.Combine(Path.GetTempPath(), $"durably-export-{Guid.NewGuid():N}.json");
        try
        {
            CliRun run = await CliRunner.RunAsync(server.Url, "export", arn, "--output", file);

            run.AssertExit(0);
            ExecutionExport export = JsonSerializer.Deserialize<ExecutionExport>(await File.ReadAllTextAsync(file), DurablyJson.Api)!;
            Assert.Equal(ExecutionExport.FormatName, export.Format);
            Assert.Equal(arn, export.Execution.DurableExecutionArn);
            Assert.Equal("""{"name":"Ada"}""", export.Operations[0].ExecutionDetails!.InputPayload);
            Assert.Equal(
                $"Exported {arn} (SUCCEEDED, {export.Operations.Count} operations, {export.Events.Count} events) to {file}\n",
                run.Out.ReplaceLineEndings("\n"));
            Assert.Contains("\n  \"Version\": 1,", await File.ReadAllTextAsync(file), StringComparison.Ordinal); // indented, to diff in review
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Without_output_prints_the_export()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        string arn = await server.GreetAdaAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "export", arn);

        run.AssertExit(0);
        using JsonDocument document = JsonDocument.Parse(run.Out);
        Assert.Equal("durably-execution-export", document.RootElement.GetProperty("Format").GetString());
        Assert.Equal("SUCCEEDED", document.RootElement.GetProperty("Execution").GetProperty("Status").GetString());
    }

    [Fact]
    public async Task An_unknown_arn_exits_1_with_the_error_name_and_writes_no_file()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        string arn = await server.GreetAdaAsync();
        string unknown = arn[..(arn.LastIndexOf('/') + 1)] + Guid.NewGuid();
        string file = Path.Combine(Path.GetTempPath(), $"durably-export-{Guid.NewGuid():N}.json");

        CliRun run = await CliRunner.RunAsync(server.Url, "export", unknown, "--output", file);

        run.AssertExit(1);
        Assert.StartsWith("error: ResourceNotFoundException: ", run.Err);
        Assert.False(File.Exists(file));
    }
}
