namespace Durably.Cli.Tests;

/// <summary>Where the CLI takes its key from, and its warning before sending one in the clear off this machine.</summary>
public sealed class ApiKeySourceTests
{
    private const string Key = "cli-key-0123456789-0123456789-0123";

    [Fact]
    public async Task The_api_key_is_read_from_a_file_without_its_trailing_newline()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(Key);
        string file = Path.Combine(Path.GetTempPath(), $"durably-key-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, Key + "\n");
        try
        {
            CliRun run = await CliRunner.RunAsync(server.Url, "functions", "--api-key-file", file);

            run.AssertExit(0);
            Assert.Contains("greeter", run.Out);
            Assert.DoesNotContain("warning", run.Err);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_missing_key_file_is_a_usage_error_naming_the_file()
    {
        string file = Path.Combine(Path.GetTempPath(), $"durably-missing-{Guid.NewGuid():N}");

        CliRun run = await CliRunner.RunAsync(null, "functions", "--api-key-file", file);

        run.AssertExit(2);
        Assert.Contains($"--api-key-file: cannot read '{file}'", run.Err);
    }

    [Theory]
    [InlineData("http://durably.example.invalid:1/", true)]
    [InlineData("https://durably.example.invalid:1/", false)]
    [InlineData("http://localhost:1/", false)]
    [InlineData("http://127.0.0.1:1/", false)]
    public async Task A_key_sent_over_plain_http_off_this_machine_is_warned_about(string server, bool warned)
    {
        // Nothing listens there: the run fails to connect, after the warning (or not).
        CliRun run = await CliRunner.RunWithInputAsync(new Uri(server), "", new Dictionary<string, string> { ["DURABLY_API_KEY"] = Key }, "functions");

        run.AssertExit(1);
        Assert.Equal(warned, run.Err.Contains("warning: the API key is sent over plain http://", StringComparison.Ordinal));
    }
}
