using System.Text.Json;

namespace Durably.Cli.Tests;

public sealed class HistoryTests
{
    [Fact]
    public async Task Prints_the_events_as_an_aligned_table()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (string arn, string callbackId) = await server.StartOrderAwaitingApprovalAsync("o-1");
        await server.Client.SendCallbackSuccessAsync(callbackId, new Approval(true));
        await server.Client.WaitForResultAsync<OrderOutcome>(arn);

        CliRun run = await CliRunner.RunAsync(server.Url, "history", arn);

        run.AssertExit(0);
        string[] lines = run.Lines;
        Assert.Matches(@"^ ID  TIME\s+TYPE\s+NAME\s+OP ID\s+DETAILS$", lines[0]);
        Assert.Matches(@"^  1  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z  ExecutionStarted\s+o-1\s+\S+\s+input=\{""orderId"":""o-1"",""amount"":42.5\}, timeout=1d00h$", lines[1]);
        string validated = Assert.Single(lines, line => line.Contains("StepSucceeded", StringComparison.Ordinal) && line.Contains("validate-order", StringComparison.Ordinal));
        Assert.EndsWith("result=true, attempt=1", validated, StringComparison.Ordinal);
        Assert.Equal(lines[0].IndexOf("DETAILS", StringComparison.Ordinal), validated.IndexOf("result=", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("CallbackStarted", StringComparison.Ordinal) && line.Contains($"callback={callbackId}, timeout=1h00m, heartbeat=30m00s", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("CallbackSucceeded", StringComparison.Ordinal) && line.Contains("""result={"approved":true}""", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("InvocationCompleted", StringComparison.Ordinal) && line.Contains("took=", StringComparison.Ordinal));
        Assert.Matches("""ExecutionSucceeded\s+o-1\s+\S+\s+result={"orderId":"o-1","status":"shipped"}$""", lines[^1]);
    }

    [Fact]
    public async Task Reverse_json_is_one_document_newest_first()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (string arn, _) = await server.StartOrderAwaitingApprovalAsync("o-1");
        int count = (await server.Client.GetHistoryAsync(arn)).Count;

        CliRun run = await CliRunner.RunAsync(server.Url, "history", arn, "--reverse", "--json");

        run.AssertExit(0);
        using JsonDocument document = JsonDocument.Parse(run.Out);
        int[] ids = [.. document.RootElement.GetProperty("Events").EnumerateArray().Select(e => e.GetProperty("EventId").GetInt32())];
        Assert.Equal(Enumerable.Range(1, count).Reverse(), ids);
        Assert.True(document.RootElement.GetProperty("Events")[ids.Length - 1].TryGetProperty("ExecutionStartedDetails", out _));
    }

    [Fact]
    public async Task Follow_prints_new_events_live_until_the_execution_ends()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (string arn, string callbackId) = await server.StartOrderAwaitingApprovalAsync("o-1");
        var output = new SynchronizedWriter();
        CliConsole console = CliRunner.Console(output, TextWriter.Null, TextReader.Null, new Dictionary<string, string> { ["DURABLY_SERVER"] = server.Url.ToString() });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Task<int> following = DurablyCli.RunAsync(["history", arn, "--follow", "--poll-interval", "5"], console, timeout.Token);
        await output.WaitForAsync("CallbackStarted", timeout.Token);
        Assert.False(following.IsCompleted);
        CliRun answered = await CliRunner.RunAsync(server.Url, "callback", "succeed", callbackId, """{"approved":false}""");

        Assert.Equal(0, await following);
        answered.AssertExit(0);
        string[] lines = output.ToString().TrimEnd('\n').Split('\n');
        int count = (await server.Client.GetHistoryAsync(arn)).Count;
        Assert.Equal(Enumerable.Range(1, count).Select(id => id.ToString()), lines[1..].Select(line => line.Trim().Split(' ')[0]));
        Assert.Matches("""ExecutionSucceeded\s+o-1\s+\S+\s+result={"orderId":"o-1","status":"rejected"}$""", lines[^1]);
    }

    [Fact]
    public async Task Follow_with_json_prints_one_event_per_line()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        StartExecutionResult started = await server.Client.StartAsync("greeter", new Greeting("Ada"));
        await server.Client.WaitForResultAsync<string>(started.DurableExecutionArn);

        CliRun run = await CliRunner.RunAsync(server.Url, "history", started.DurableExecutionArn, "--follow", "--json", "--poll-interval", "1");

        run.AssertExit(0);
        string[] types = [.. run.Lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("EventType").GetString()!)];
        Assert.Equal("ExecutionStarted", types[0]);
        Assert.Equal("ExecutionSucceeded", types[^1]);
        Assert.Equal((await server.Client.GetHistoryAsync(started.DurableExecutionArn)).Count, types.Length);
    }

    [Fact]
    public async Task Follow_ends_with_130_when_cancelled()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync();
        (string arn, _) = await server.StartOrderAwaitingApprovalAsync("o-1");
        var output = new SynchronizedWriter();
        CliConsole console = CliRunner.Console(output, TextWriter.Null, TextReader.Null, new Dictionary<string, string> { ["DURABLY_SERVER"] = server.Url.ToString() });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Task<int> following = DurablyCli.RunAsync(["history", arn, "--follow", "--poll-interval", "2"], console, cancellation.Token);
        await output.WaitForAsync("CallbackStarted", cancellation.Token);
        await cancellation.CancelAsync();

        Assert.Equal(130, await following);
    }

    [Fact]
    public async Task Follow_and_reverse_together_is_a_usage_error()
    {
        CliRun run = await CliRunner.RunAsync(null, "history", "arn", "--follow", "--reverse");

        run.AssertExit(2);
        Assert.Contains("--follow: cannot be combined with --reverse", run.Err);
    }

    /// <summary>A writer that a running command writes to while the test waits for what it writes.</summary>
    private sealed class SynchronizedWriter : StringWriter
    {
        private readonly object _gate = new();
        private (string Text, TaskCompletionSource Seen)? _awaited;

        public override void Write(char value)
        {
            lock (_gate)
            {
                base.Write(value);
                SignalIfSeen();
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                base.Write(value);
                SignalIfSeen();
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_gate)
            {
                base.WriteLine(value);
                SignalIfSeen();
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return base.ToString();
            }
        }

        /// <summary>Completes when the output contains <paramref name="text"/>; fails after 10 s saying what was missing.</summary>
        public async Task WaitForAsync(string text, CancellationToken cancellationToken)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _awaited = (text, seen);
                SignalIfSeen();
            }

            try
            {
                await seen.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The output never contained '{text}' within 10 s: {this}");
            }
        }

        private void SignalIfSeen()
        {
            if (_awaited is { } awaited && base.ToString().Contains(awaited.Text, StringComparison.Ordinal))
            {
                awaited.Seen.TrySetResult();
            }
        }
    }
}
