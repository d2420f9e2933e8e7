using System.Text.Json;
using System.Text.RegularExpressions;

namespace Durably.Cli.Tests;

/// <summary><c>durably subscriptions [add|remove|dead-letters|redeliver]</c> against the real server.</summary>
public sealed class SubscriptionsTests
{
    private const string Pattern = """{"detail":{"status":["FAILED"]}}""";

    [Fact]
    public async Task Add_List_Remove()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun add = await CliRunner.RunAsync(server.Url, "subscriptions", "add", "failures", "--url", "http://127.0.0.1:9/hook", "--pattern", Pattern);
        CliRun list = await CliRunner.RunAsync(server.Url, "subscriptions");
        CliRun remove = await CliRunner.RunAsync(server.Url, "subscriptions", "remove", "failures");
        CliRun empty = await CliRunner.RunAsync(server.Url, "subscriptions");
        CliRun again = await CliRunner.RunAsync(server.Url, "subscriptions", "remove", "failures");

        add.AssertExit(0);
        Assert.Equal("subscribed failures → http://127.0.0.1:9/hook", add.Lines[0]);
        Assert.Matches("^secret: [0-9a-f]{48}$", add.Lines[1]);
        list.AssertExit(0);
        Assert.Contains(list.Lines, line => Regex.IsMatch(line, """^failures\s+runtime\s+0\s+http://127\.0\.0\.1:9/hook\s+\{"detail":\{"status":\["FAILED"\]\}\}$"""));
        remove.AssertExit(0);
        Assert.Equal("removed failures", remove.Lines.Single());
        Assert.Contains("no subscriptions", empty.Err, StringComparison.Ordinal);
        again.AssertExit(1);
        Assert.Contains("ResourceNotFoundException: There is no event subscription named 'failures'.", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_WithASecret_Json_PrintsTheServersAnswer()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "subscriptions", "add", "all", "--url", "http://localhost:9/hook", "--pattern", """{"source":["durably"]}""",
            "--secret", "a-chosen-secret-of-32-characters!!", "--json");

        run.AssertExit(0);
        using JsonDocument document = JsonDocument.Parse(run.Out);
        Assert.Equal("a-chosen-secret-of-32-characters!!", document.RootElement.GetProperty("Secret").GetString());
        Assert.Equal("durably", document.RootElement.GetProperty("Pattern").GetProperty("source")[0].GetString());
    }

    [Theory]
    [InlineData("""{"source":"durably"}""", "http://127.0.0.1:9/", "Event pattern field 'source': values must be given in an array")]
    [InlineData(Pattern, "http://example.com/hook", "Url host 'example.com' is not allowed")]
    public async Task Add_Refused_IsTheServersError_Exit1(string pattern, string url, string message)
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "subscriptions", "add", "bad", "--url", url, "--pattern", pattern);

        run.AssertExit(1);
        Assert.Contains("InvalidParameterValueException: " + message, run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadLetters_NoneYet_AndRedeliverOfAnUnknownPosition_IsNotFound()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (await CliRunner.RunAsync(server.Url, "subscriptions", "add", "failures", "--url", "http://127.0.0.1:9/hook", "--pattern", Pattern)).AssertExit(0);

        CliRun letters = await CliRunner.RunAsync(server.Url, "subscriptions", "dead-letters", "failures");
        CliRun redeliver = await CliRunner.RunAsync(server.Url, "subscriptions", "redeliver", "failures", "--position", "3");

        letters.AssertExit(0);
        Assert.Contains("no dead letters", letters.Err, StringComparison.Ordinal);
        redeliver.AssertExit(1);
        Assert.Contains("The subscription 'failures' has no dead letter at position 3.", redeliver.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "subscriptions", "add", "s", "--url", "http://127.0.0.1/" }, "Option '--pattern' is required")]
    [InlineData(new[] { "subscriptions", "redeliver", "s" }, "Option '--position' is required")]
    public async Task UsageErrors_Exit2(string[] args, string message)
    {
        CliRun run = await CliRunner.RunAsync(new Uri("http://127.0.0.1:9"), args);

        run.AssertExit(2);
        Assert.Contains(message, run.Err, StringComparison.Ordinal);
    }
}
