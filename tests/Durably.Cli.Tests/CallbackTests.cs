using Durably.Protocol;

namespace Durably.Cli.Tests;

public sealed class CallbackTests
{
    [Fact]
    public async Task Succeed_delivers_the_payload_as_the_result()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (string arn, string callbackId) = await server.StartOrderAwaitingApprovalAsync("o-1");

        CliRun run = await CliRunner.RunAsync(server.Url, "callback", "succeed", callbackId, """{"approved":true}""");

        run.AssertExit(0);
        Assert.Equal($"callback {callbackId}: succeeded", run.Out.Trim());
        Assert.Equal(new OrderOutcome("o-1", "shipped"), await server.Client.WaitForResultAsync<OrderOutcome>(arn));
    }

    [Fact]
    public async Task Succeed_reads_stdin_and_json_prints_the_api_answer()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (string arn, string callbackId) = await server.StartOrderAwaitingApprovalAsync("o-1");

        CliRun run = await CliRunner.RunWithInputAsync(server.Url, """{"approved":false}""", null, "callback", "succeed", callbackId, "-", "--json");

        run.AssertExit(0);
        Assert.Equal("{}", run.Out.Trim());
        Assert.Equal(new OrderOutcome("o-1", "rejected"), await server.Client.WaitForResultAsync<OrderOutcome>(arn));
    }

    [Fact]
    public async Task Fail_completes_the_callback_with_the_error()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (string arn, string callbackId) = await server.StartOrderAwaitingApprovalAsync("o-1");

        CliRun run = await CliRunner.RunAsync(
            server.Url, "callback", "fail", callbackId, "--error-type", "Rejected", "--error-message", "over budget", "--error-data", "{\"limit\":10}");

        run.AssertExit(0);
        Assert.Equal($"callback {callbackId}: failed", run.Out.Trim());
        HistoryEvent failed = await server.WaitForEventAsync(arn, HistoryEventTypes.CallbackFailed);
        Assert.Equal(
            new ErrorObject { ErrorType = "Rejected", ErrorMessage = "over budget", ErrorData = "{\"limit\":10}" },
            failed.Details.Error!.Payload! with { StackTrace = null });
    }

    [Fact]
    public async Task Heartbeat_keeps_the_callback_open_past_its_heartbeat_timeout()
    {
        // The approval callback has a 30-minute heartbeat timeout: only the heartbeat at minute 20 carries it past minute 30.
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (string arn, string callbackId) = await server.StartOrderAwaitingApprovalAsync("o-1");
        await server.AdvanceAsync(TimeSpan.FromMinutes(20));

        CliRun run = await CliRunner.RunAsync(server.Url, "callback", "heartbeat", callbackId);
        await server.AdvanceAsync(TimeSpan.FromMinutes(20));

        run.AssertExit(0);
        Assert.Equal($"callback {callbackId}: heartbeat sent", run.Out.Trim());
        Assert.Equal(ExecutionStatus.Running, (await server.Client.GetExecutionAsync(arn)).Status);
        Assert.DoesNotContain(await server.Client.GetHistoryAsync(arn), e => e.EventType == HistoryEventTypes.CallbackTimedOut);
        // Without another heartbeat the callback does time out 30 minutes after the last one.
        await server.AdvanceAsync(TimeSpan.FromMinutes(11));
        await server.WaitForEventAsync(arn, HistoryEventTypes.CallbackTimedOut);
    }

    [Fact]
    public async Task Answering_a_closed_callback_exits_1_with_the_error_name()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (string arn, string callbackId) = await server.StartOrderAwaitingApprovalAsync("o-1");
        await server.Client.SendCallbackSuccessAsync(callbackId, new Approval(true));
        await server.Client.WaitForResultAsync<OrderOutcome>(arn);

        CliRun run = await CliRunner.RunAsync(server.Url, "callback", "heartbeat", callbackId);

        run.AssertExit(1);
        Assert.StartsWith("error: CallbackTimeoutException: ", run.Err);
    }
}
