
namespace Durably.Cli.Tests;

public sealed class GlobalOptionTests
{
    [Fact]
    public async Task An_unreachable_server_exits_1_and_says_so()
    {
        using var unreachable = new UnreachablePort();
        int port = unreachable.Port;

        CliRun run = await CliRunner.RunAsync(new Uri($"http://127.0.0.1:{port}"), "functions");

        run.AssertExit(1);
        Assert.Equal($"error: cannot reach the Durably server at http://127.0.0.1:{port}/; is it running?", run.Err.Trim());
    }

    [Fact]
    public async Task The_api_key_is_sent_as_a_bearer_token_from_the_option_or_the_environment()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync("cli-key-0123456789-0123456789-0123");

        CliRun without = await CliRunner.RunAsync(server.Url, "functions");
        CliRun withOption = await CliRunner.RunAsync(server.Url, "functions", "--api-key", "cli-key-0123456789-0123456789-0123");
        CliRun fromEnvironment = await CliRunner.RunWithInputAsync(server.Url, "", new Dictionary<string, string> { ["DURABLY_API_KEY"] = "cli-key-0123456789-0123456789-0123" }, "functions");

        without.AssertExit(1);
        Assert.Matches(@"^error: \w+Exception: ", without.Err);
        withOption.AssertExit(0);
        fromEnvironment.AssertExit(0);
    }

    [Fact]
    public async Task The_server_option_beats_the_environment()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        var environment = new Dictionary<string, string> { ["DURABLY_SERVER"] = "http://127.0.0.1:1" };

        CliRun run = await CliRunner.RunWithInputAsync(null, "", environment, "functions", "--server", server.Url.ToString());

        run.AssertExit(0);
        Assert.Contains("greeter", run.Out);
    }

    [Fact]
    public async Task Colours_only_on_a_terminal_without_no_color()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        string coloured = await RunOnTerminalAsync(server, new Dictionary<string, string>());
        string noColor = await RunOnTerminalAsync(server, new Dictionary<string, string> { ["NO_COLOR"] = "1" });

        Assert.Contains("\u001b[1mNAME\u001b[0m", coloured);
        Assert.DoesNotContain('\u001b', noColor);
    }

    [Theory]
    [InlineData(new[] { "get" }, "Required argument missing for command: 'get'", "durably get --help")]
    [InlineData(new[] { "frobnicate" }, "'frobnicate'", "durably --help")]
    [InlineData(new[] { "callback" }, "Required command was not provided", "durably callback --help")]
    [InlineData(new[] { "list", "f", "--bogus" }, "'--bogus'", "durably list --help")]
    [InlineData(new[] { "functions", "--server", "ftp://x" }, "--server: 'ftp://x' is not an http:// or https:// URL", "durably functions --help")]
    [InlineData(new[] { "history", "a", "--poll-interval", "0" }, "--poll-interval: '0' is not a number of milliseconds", "durably history --help")]
    public async Task Usage_errors_exit_2_and_name_the_argument(string[] args, string message, string hint)
    {
        CliRun run = await CliRunner.RunAsync(null, args);

        run.AssertExit(2);
        Assert.Contains(message, run.Err);
        Assert.Contains($"Run '{hint}' for usage.", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task Help_exits_0_and_lists_the_commands()
    {
        CliRun run = await CliRunner.RunAsync(null, "--help");

        run.AssertExit(0);
        Assert.Contains("durably [command] [options]", run.Out);
        foreach (string command in new[] { "invoke", "list", "get", "history", "callback", "stop", "functions", "--server", "--api-key", "--json" })
        {
            Assert.Contains(command, run.Out);
        }
    }

    private static async Task<string> RunOnTerminalAsync(DurablyTestServer server, Dictionary<string, string> environment)
    {
        environment["DURABLY_SERVER"] = server.Url.ToString();
        using var output = new StringWriter();
        CliConsole console = CliRunner.Console(output, TextWriter.Null, TextReader.Null, environment) with { OutIsTerminal = true };
        Assert.Equal(0, await DurablyCli.RunAsync(["functions"], console));
        return output.ToString();
    }
}
