using System.Text.Json;

namespace Durably.Cli.Tests;

public sealed class GetTests
{
    [Fact]
    public async Task Shows_status_times_input_result_and_config()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        string arn = await server.GreetAdaAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "get", arn);

        run.AssertExit(0);
        Assert.Contains($"ARN        {arn}", run.Out);
        Assert.Contains("Name       greet-1", run.Out);
        Assert.Matches(@"(?m)^Function   arn:aws:lambda:\S+:function:greeter:1$", run.Out);
        Assert.Contains("Status     SUCCEEDED", run.Out);
        Assert.Matches(@"(?m)^Started    \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", run.Out);
        Assert.Matches(@"(?m)^Ended      \d{4}-", run.Out);
        Assert.Contains("""Input      {"name":"Ada"}""", run.Out);
        Assert.Contains("Result     \"Hello, Ada!\"", run.Out);
        Assert.Contains("Timeout    1h00m", run.Out);
        Assert.Contains("Retention  14 days", run.Out);
    }

    [Fact]
    public async Task No_data_leaves_out_input_and_result()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        string arn = await server.GreetAdaAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "get", arn, "--no-data");

        run.AssertExit(0);
        Assert.Matches(@"(?m)^Data\s+not included$", run.Out);
        Assert.DoesNotContain("Input", run.Out);
        Assert.DoesNotContain("Hello", run.Out);
    }

    [Fact]
    public async Task Json_is_the_api_document()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        string arn = await server.GreetAdaAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "--json", "get", arn);

        run.AssertExit(0);
        using JsonDocument document = JsonDocument.Parse(run.Out);
        Assert.Equal(arn, document.RootElement.GetProperty("DurableExecutionArn").GetString());
        Assert.Equal("SUCCEEDED", document.RootElement.GetProperty("Status").GetString());
        Assert.Equal(JsonValueKind.Number, document.RootElement.GetProperty("StartTimestamp").ValueKind);
    }

    [Fact]
    public async Task An_unknown_arn_exits_1_with_the_error_name()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        string arn = await server.GreetAdaAsync();
        string unknown = arn[..(arn.LastIndexOf('/') + 1)] + Guid.NewGuid();

        CliRun run = await CliRunner.RunAsync(server.Url, "get", unknown);

        run.AssertExit(1);
        Assert.StartsWith("error: ResourceNotFoundException: ", run.Err);
        Assert.Equal("", run.Out);
    }
}
