using System.Text.Json;

namespace Durably.Cli.Tests;

public sealed class FunctionsTests
{
    [Fact]
    public async Task Lists_every_function_version_as_a_table()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "functions");

        run.AssertExit(0);
        Assert.Equal(4, run.Lines.Length);
        Assert.Matches(@"^NAME\s+VERSION\s+TIMEOUT\s+RETENTION\s+ARN$", run.Lines[0]);
        Assert.Contains(run.Lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^order-processor\s+1\s+1d00h\s+14d\s+arn:aws:lambda:\S+:function:order-processor:1$"));
        Assert.Contains(run.Lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^greeter\s+1\s+1h00m\s+14d\s+arn:"));
        Assert.Contains(run.Lines, line => line.StartsWith("payment ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_is_the_api_document()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "functions", "--json");

        run.AssertExit(0);
        using JsonDocument document = JsonDocument.Parse(run.Out);
        Assert.Equal(
            ["greeter", "order-processor", "payment"],
            document.RootElement.GetProperty("Functions").EnumerateArray().Select(f => f.GetProperty("FunctionName").GetString()).Order());
    }
}
