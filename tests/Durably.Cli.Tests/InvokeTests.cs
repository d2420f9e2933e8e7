using System.Text.Json;
using Durably.Protocol;

namespace Durably.Cli.Tests;

public sealed class InvokeTests
{
    [Fact]
    public async Task Sync_invoke_with_a_name_prints_the_result_and_is_idempotent()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun first = await CliRunner.RunAsync(server.Url, "invoke", "greeter", """{"name":"Ada"}""", "--name", "greet-1");
        CliRun again = await CliRunner.RunAsync(server.Url, "invoke", "greeter", """{"name":"Ada"}""", "--name", "greet-1");

        first.AssertExit(0);
        Assert.Equal("\"Hello, Ada!\"", first.Out.Trim());
        Assert.Matches("^execution arn:aws:lambda:.*:function:greeter:1/durable-execution/greet-1/", first.Err);
        again.AssertExit(0);
        Assert.Equal(first.Out, again.Out);
        Assert.Equal(first.Err, again.Err);
    }

    [Fact]
    public async Task Async_invoke_prints_the_arn_of_the_running_execution()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "invoke", "order-processor", """{"orderId":"o-1","amount":10}""", "--async", "--name", "o-1", "--qualifier", "1");

        run.AssertExit(0);
        string arn = run.Out.Trim();
        Assert.Matches("^arn:aws:lambda:.*:function:order-processor:1/durable-execution/o-1/[^/]+$", arn);
        Assert.Equal("", run.Err);
        await server.WaitForEventAsync(arn, HistoryEventTypes.CallbackStarted);
        Assert.Equal(ExecutionStatus.Running, (await server.Client.GetExecutionAsync(arn)).Status);
    }

    [Fact]
    public async Task Payload_from_a_file()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """{"name":"File"}""");

            CliRun run = await CliRunner.RunAsync(server.Url, "invoke", "greeter", "--file", file);

            run.AssertExit(0);
            Assert.Equal("\"Hello, File!\"", run.Out.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Payload_from_stdin()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun run = await CliRunner.RunWithInputAsync(server.Url, """{"name":"Stdin"}""", null, "invoke", "greeter", "-");

        run.AssertExit(0);
        Assert.Equal("\"Hello, Stdin!\"", run.Out.Trim());
    }

    [Fact]
    public async Task Json_output_has_the_status_version_arn_and_payload()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "invoke", "greeter", """{"name":"Json"}""", "--json");

        run.AssertExit(0);
        using JsonDocument document = JsonDocument.Parse(run.Out);
        JsonElement root = document.RootElement;
        Assert.Equal(200, root.GetProperty("StatusCode").GetInt32());
        Assert.Equal("1", root.GetProperty("ExecutedVersion").GetString());
        Assert.Contains("/durable-execution/", root.GetProperty("DurableExecutionArn").GetString());
        Assert.Equal("\"Hello, Json!\"", root.GetProperty("Payload").GetString());
        Assert.Equal("", run.Err);
    }

    [Fact]
    public async Task A_failed_execution_exits_1_with_its_error()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "invoke", "payment", """{"orderId":"o-9","amount":5}""");

        run.AssertExit(1);
        Assert.Contains("error: the execution failed: InvalidOperationException: card expired for o-9", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task An_unknown_function_exits_1_with_the_error_name()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();

        CliRun run = await CliRunner.RunAsync(server.Url, "invoke", "no-such-function", "{}");

        run.AssertExit(1);
        Assert.StartsWith("error: ResourceNotFoundException: ", run.Err);
    }

    [Fact]
    public async Task Both_a_payload_and_a_file_is_a_usage_error()
    {
        CliRun run = await CliRunner.RunAsync(null, "invoke", "greeter", "{}", "--file", "x.json");

        run.AssertExit(2);
        Assert.Contains("payload: give it as an argument or with --file, not both", run.Err);
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error_naming_it()
    {
        CliRun run = await CliRunner.RunAsync(null, "invoke", "greeter", "--file", "/nonexistent/payload.json");

        run.AssertExit(2);
        Assert.Contains("--file: cannot read '/nonexistent/payload.json'", run.Err);
    }
}
