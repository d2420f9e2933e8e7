using System.Text.Json;
using Durably.Protocol;
using Xunit.Abstractions;

namespace Durably.JsSdk.Tests;

/// <summary>
/// AWS's JavaScript durable execution SDK (@aws/durable-execution-sdk-js 2.4.0 on Node 22, its own
/// DurableExecutionApiClient over @aws-sdk/client-lambda, endpoint = the Durably server, dummy credentials)
/// runs each workflow of tests/js-sdk-harness/handlers.mjs on a Durably server to the expected result, and
/// records the same history as the workflow's C# twin (<see cref="CSharpTwins"/>) on the same server — up to
/// the differences each scenario documents (<see cref="KnownDifference"/>).
/// </summary>
public sealed class JsSdkTests(DurablyServer server, ITestOutputHelper output) : IClassFixture<DurablyServer>
{
    private static readonly TimeSpan PerScenarioTimeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> ScenarioNames => [.. Scenarios.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public async Task JsHandler_RunsOnDurably_AndRecordsWhatItsCSharpTwinRecords(string name)
    {
        Scenario scenario = Scenarios.All.Single(s => s.Name == name);
        using var timeout = new CancellationTokenSource(PerScenarioTimeout);
        int rejectedBefore = server.RejectedRequests.Count;

        ExecutionRun js = await server.RunAsync(Scenarios.JsFunction(scenario), scenario.InputJson, scenario.Answers, timeout.Token, scenario.AnswerWhileRunning);
        ExecutionRun csharp = await server.RunAsync(Scenarios.CSharpFunction(scenario), scenario.InputJson, scenario.Answers, timeout.Token, scenario.AnswerWhileRunning);
        IReadOnlyList<CheckpointCall> jsCheckpoints = server.CheckpointsOf(js.Description.DurableExecutionArn);
        output.WriteLine($"JS checkpoints (updates per request): {string.Join(", ", jsCheckpoints.Select(c => $"{c.Updates}→{c.Status}"))}");

        output.WriteLine($"JS  {js.Description.Status} {js.Description.Result} {js.Description.Error?.ErrorType} {js.Description.Error?.ErrorMessage}");
        output.WriteLine($"C#  {csharp.Description.Status} {csharp.Description.Result} {csharp.Description.Error?.ErrorType} {csharp.Description.Error?.ErrorMessage}");
        output.WriteLine("Raw JS history:");
        foreach (HistoryEvent e in js.History)
        {
            output.WriteLine("  " + JsonSerializer.Serialize(e, DurablyJson.Api));
        }

        output.WriteLine("Raw C# history:");
        foreach (HistoryEvent e in csharp.History)
        {
            output.WriteLine("  " + JsonSerializer.Serialize(e, DurablyJson.Api));
        }

        foreach (KnownDifference difference in scenario.Differences)
        {
            output.WriteLine("Known difference: " + difference);
        }

        var (jsLines, csharpLines) = HistoryComparison.Prepare(js.History, csharp.History, scenario.Differences);
        foreach (string note in scenario.Notes)
        {
            output.WriteLine("Note: " + note);
        }

        if (scenario.CompareByOperation)
        {
            output.WriteLine("Normalized in history order, JS | C#:");
            output.WriteLine(HistoryComparison.SideBySide(jsLines, csharpLines));
            (jsLines, csharpLines) = (HistoryComparison.ByOperation(jsLines), HistoryComparison.ByOperation(csharpLines));
        }

        output.WriteLine("Normalized, JS | C#:");
        output.WriteLine(HistoryComparison.SideBySide(jsLines, csharpLines));

        // The server accepted every request the JS SDK (and the test) sent.
        RejectedRequest[] rejected = [.. server.RejectedRequests.Skip(rejectedBefore)];
        Assert.True(rejected.Length == 0, "The server rejected requests:\n" + string.Join("\n", rejected.Select(r => "  " + r)));

        // Both run to the expected result (or error).
        foreach (ExecutionRun run in new[] { js, csharp })
        {
            DurableExecutionDescription d = run.Description;
            if (scenario.ExpectedError is { } expected)
            {
                Assert.True(d.Status == ExecutionStatus.Failed, $"{run.FunctionName} ended {d.Status}, expected FAILED.");
                Assert.Equal(expected.Message, d.Error?.ErrorMessage);
                if (run == csharp || !scenario.Differences.Contains(KnownDifferences.CallbackTimeoutErrorType))
                {
                    Assert.Equal(expected.Type, d.Error?.ErrorType);
                }
            }
            else
            {
                Assert.True(d.Status == ExecutionStatus.Succeeded,
                    $"{run.FunctionName} ended {d.Status}: {d.Error?.ErrorType} {d.Error?.ErrorMessage}\nHarness log:\n{server.Harness.Log}");
                Assert.Equal(HistoryComparison.Canonical(scenario.ExpectedResultJson), HistoryComparison.Canonical(d.Result));
            }
        }

        scenario.VerifyJs?.Invoke(js, jsCheckpoints);

        // Both record the same history, up to the documented differences.
        Assert.True(jsLines.SequenceEqual(csharpLines, StringComparer.Ordinal),
            "The histories differ (JS | C#, after the known differences):\n" + HistoryComparison.SideBySide(jsLines, csharpLines));
    }
}
