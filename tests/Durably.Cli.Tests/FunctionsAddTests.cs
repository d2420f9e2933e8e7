using System.Text.Json;

namespace Durably.Cli.Tests;

/// <summary><c>durably functions add</c> and <c>durably functions remove</c> against the real server.</summary>
public sealed class FunctionsAddTests
{
    [Fact]
    public async Task Add_RegistersAnHttpFunction_WithItsOptions_AndItIsListed()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun add = await CliRunner.RunAsync(server.Url, "functions", "add", "shipment", "--url", "http://127.0.0.1:5090/shipment",
            "--version", "2", "--execution-timeout", "7d", "--invocation-timeout", "90s", "--retention-days", "30");
        CliRun list = await CliRunner.RunAsync(server.Url, "functions");

        add.AssertExit(0);
        Assert.Equal("registered arn:aws:lambda:local:000000000000:function:shipment:2 → http://127.0.0.1:5090/shipment", add.Lines.Single());
        Assert.Contains(list.Lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^shipment\s+2\s+7d00h\s+30d\s+arn:"));
    }

    [Fact]
    public async Task Add_Json_PrintsTheServersAnswer()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "functions", "add", "shipment", "--url", "http://localhost:5090/shipment", "--json");

        run.AssertExit(0);
        using JsonDocument document = JsonDocument.Parse(run.Out);
        Assert.Equal(900, document.RootElement.GetProperty("InvocationTimeout").GetInt32());
        Assert.Equal("1", document.RootElement.GetProperty("Version").GetString());
    }

    [Fact]
    public async Task Add_OfAForbiddenHost_IsTheServersError_Exit1()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "functions", "add", "shipment", "--url", "http://example.com/shipment");

        run.AssertExit(1);
        Assert.Contains("InvalidParameterValueException: Url host 'example.com' is not allowed", run.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "functions", "add", "f" }, "Option '--url' is required")]
    [InlineData(new[] { "functions", "add", "f", "--url", "ftp://x" }, "--url: 'ftp://x' is not an http:// or https:// URL.")]
    [InlineData(new[] { "functions", "add", "f", "--url", "http://127.0.0.1/", "--execution-timeout", "3w" }, "--execution-timeout: '3w' is not a duration")]
    public async Task Add_UsageErrors_Exit2(string[] args, string message)
    {
        CliRun run = await CliRunner.RunAsync(new Uri("http://127.0.0.1:9"), args);

        run.AssertExit(2);
        Assert.Contains(message, run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_ForgetsTheRegistration_ThenIsNotFound()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (await CliRunner.RunAsync(server.Url, "functions", "add", "shipment", "--url", "http://127.0.0.1:5090/shipment")).AssertExit(0);

        CliRun remove = await CliRunner.RunAsync(server.Url, "functions", "remove", "shipment");
        CliRun again = await CliRunner.RunAsync(server.Url, "functions", "remove", "shipment", "--version", "1");

        remove.AssertExit(0);
        Assert.Equal("removed shipment", remove.Lines.Single());
        again.AssertExit(1);
        Assert.Contains("ResourceNotFoundException: Function not found: shipment:1", again.Err, StringComparison.Ordinal);
    }
}
