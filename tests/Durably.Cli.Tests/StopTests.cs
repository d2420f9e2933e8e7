using System.Text.Json;
using Durably.Protocol;

namespace Durably.Cli.Tests;

public sealed class StopTests
{
    [Fact]
    public async Task Stop_records_the_error_and_prints_the_stop_time()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (string arn, _) = await server.StartOrderAwaitingApprovalAsync("o-1");

        CliRun run = await CliRunner.RunAsync(server.Url, "stop", arn, "--error-type", "Cancelled", "--error-message", "customer cancelled");

        run.AssertExit(0);
        Assert.Matches($@"^STOPPED {System.Text.RegularExpressions.Regex.Escape(arn)} at \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z$", run.Out.Trim());
        DurableExecutionDescription stopped = await server.Client.GetExecutionAsync(arn);
        Assert.Equal(ExecutionStatus.Stopped, stopped.Status);
        Assert.Equal(("Cancelled", "customer cancelled"), (stopped.Error?.ErrorType, stopped.Error?.ErrorMessage));
    }

    [Fact]
    public async Task Json_is_the_api_answer_and_stop_is_idempotent()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (string arn, _) = await server.StartOrderAwaitingApprovalAsync("o-1");

        CliRun first = await CliRunner.RunAsync(server.Url, "stop", arn, "--json");
        CliRun again = await CliRunner.RunAsync(server.Url, "stop", arn, "--json");

        first.AssertExit(0);
        again.AssertExit(0);
        using JsonDocument document = JsonDocument.Parse(first.Out);
        Assert.Equal(JsonValueKind.Number, document.RootElement.GetProperty("StopTimestamp").ValueKind);
        Assert.Equal(first.Out, again.Out);
    }
}
