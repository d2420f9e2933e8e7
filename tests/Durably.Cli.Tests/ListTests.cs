using System.Text.Json;

namespace Durably.Cli.Tests;

public sealed class ListTests
{
    [Fact]
    public async Task Lists_executions_as_an_aligned_table_newest_first()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        await GreetAsync(server, "g-1", "g-2");

        CliRun run = await CliRunner.RunAsync(server.Url, "list", "greeter");
        CliRun reversed = await CliRunner.RunAsync(server.Url, "list", "greeter", "--reverse");

        run.AssertExit(0);
        Assert.Equal(3, run.Lines.Length);
        Assert.Matches(@"^NAME\s+STATUS\s+STARTED\s+DURATION\s+ARN$", run.Lines[0]);
        Assert.Matches(@"^g-2\s+SUCCEEDED\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\s+\d+ms\s+arn:aws:lambda:\S+/durable-execution/g-2/\S+$", run.Lines[1]);
        Assert.StartsWith("g-1 ", run.Lines[2], StringComparison.Ordinal);
        Assert.Equal(run.Lines[0].IndexOf("ARN", StringComparison.Ordinal), run.Lines[1].IndexOf("arn:", StringComparison.Ordinal));
        reversed.AssertExit(0);
        Assert.Equal([run.Lines[0], run.Lines[2], run.Lines[1]], reversed.Lines);
    }

    [Fact]
    public async Task Filters_by_status_name_and_start_time()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        await GreetAsync(server, "g-1", "g-2");
        await server.StartOrderAwaitingApprovalAsync("o-1");

        CliRun running = await CliRunner.RunAsync(server.Url, "list", "order-processor", "--status", "running", "--status", "FAILED");
        CliRun succeeded = await CliRunner.RunAsync(server.Url, "list", "order-processor", "-s", "succeeded");
        CliRun named = await CliRunner.RunAsync(server.Url, "list", "greeter", "--name", "g-1");
        // The greetings start at 12:00Z. 13:30+02:00 is 11:30Z (before them) and 10:30-02:00 is 12:30Z (after them):
        // read without their offsets, both bounds would give the opposite answer.
        CliRun future = await CliRunner.RunAsync(server.Url, "list", "greeter", "--started-after", "2026-01-01T10:30:00-02:00");
        CliRun past = await CliRunner.RunAsync(server.Url, "list", "greeter", "--started-before", "2026-01-01T10:30:00-02:00");
        CliRun afterOffset = await CliRunner.RunAsync(server.Url, "list", "greeter", "--started-after", "2026-01-01T13:30:00+02:00");
        CliRun beforeOffset = await CliRunner.RunAsync(server.Url, "list", "greeter", "--started-before", "2026-01-01T13:30:00+02:00");

        Assert.Matches(@"^o-1\s+RUNNING\s", Assert.Single(running.Lines[1..]));
        succeeded.AssertExit(0);
        Assert.Equal(("", "no executions"), (succeeded.Out, succeeded.Err.Trim()));
        Assert.StartsWith("g-1 ", Assert.Single(named.Lines[1..]), StringComparison.Ordinal);
        Assert.Equal("", future.Out);
        Assert.Equal(3, past.Lines.Length);
        Assert.Equal(3, afterOffset.Lines.Length);
        Assert.Equal("", beforeOffset.Out);
    }

    [Fact]
    public async Task Max_items_pages_and_all_follows_the_markers_into_one_json_document()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        await GreetAsync(server, "g-1", "g-2", "g-3");

        CliRun onePage = await CliRunner.RunAsync(server.Url, "list", "greeter", "--max-items", "2");
        CliRun onePageJson = await CliRunner.RunAsync(server.Url, "list", "greeter", "--max-items", "2", "--json");
        CliRun all = await CliRunner.RunAsync(server.Url, "list", "greeter", "--max-items", "2", "--all", "--json");

        Assert.Equal(3, onePage.Lines.Length);
        Assert.Contains("more executions: add --all", onePage.Err);
        using JsonDocument page = JsonDocument.Parse(onePageJson.Out);
        Assert.Equal(2, page.RootElement.GetProperty("DurableExecutions").GetArrayLength());
        Assert.True(page.RootElement.TryGetProperty("NextMarker", out _));
        all.AssertExit(0);
        using JsonDocument document = JsonDocument.Parse(all.Out);
        Assert.Equal(
            ["g-3", "g-2", "g-1"],
            document.RootElement.GetProperty("DurableExecutions").EnumerateArray().Select(e => e.GetProperty("DurableExecutionName").GetString()));
        Assert.False(document.RootElement.TryGetProperty("NextMarker", out _));
    }

    [Fact]
    public async Task An_unknown_function_exits_1_with_the_error_name()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "list", "no-such-function");

        run.AssertExit(1);
        Assert.StartsWith("error: ResourceNotFoundException: ", run.Err);
    }

    [Theory]
    [InlineData("--status", "DONE", "--status: 'DONE' is not a status")]
    [InlineData("--started-after", "yesterday", "--started-after: 'yesterday' is not an ISO-8601 time")]
    [InlineData("--max-items", "0", "--max-items: '0' is not a number between 1 and 1000")]
    [InlineData("--max-items", "many", "--max-items: 'many' is not a number")]
    public async Task Bad_filters_are_usage_errors_naming_the_option(string option, string value, string message)
    {
        CliRun run = await CliRunner.RunAsync(null, "list", "greeter", option, value);

        run.AssertExit(2);
        Assert.Contains(message, run.Err);
        Assert.Contains("Run 'durably list --help' for usage.", run.Err);
    }

    /// <summary>Runs the greeter once per name, one after another, each starting a millisecond after the one before.</summary>
    private static async Task GreetAsync(DurablyTestServer server, params string[] names)
    {
        foreach (string name in names)
        {
            StartExecutionResult started = await server.Client.StartAsync("greeter", new Greeting(name), name);
            await server.Client.WaitForResultAsync<string>(started.DurableExecutionArn);
            await server.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        }
    }
}
