using System.Text.Json;
using Durably.Protocol;

namespace Durably.Testing.Tests;

public sealed class ReplayTesterTests
{
    private int _bodiesRun;

    private async Task<string> ShipAsync(string order, IDurableContext context)
    {
        string reserved = await context.StepAsync((_, _) => Body($"reserved {order}"), "reserve");
        await context.WaitAsync(TimeSpan.FromHours(1), "cool-off");
        string charged = await context.StepAsync((_, _) => Body($"charged {order}"), "charge");
        return $"{reserved}, {charged}";
    }

    /// <summary>The same workflow with its two steps swapped: the change a replay test must catch.</summary>
    private async Task<string> ShipSwappedAsync(string order, IDurableContext context)
    {
        string charged = await context.StepAsync((_, _) => Body($"charged {order}"), "charge");
        await context.WaitAsync(TimeSpan.FromHours(1), "cool-off");
        string reserved = await context.StepAsync((_, _) => Body($"reserved {order}"), "reserve");
        return $"{reserved}, {charged}";
    }

    private Task<string> Body(string value)
    {
        Interlocked.Increment(ref _bodiesRun);
        return Task.FromResult(value);
    }

    [Fact]
    public async Task Replay_OfACompletedExecution_ReturnsTheRecordedResultWithoutRunningStepBodies()
    {
        ExecutionExport recording = await RecordAsync(ShipAsync, "o-1");
        _bodiesRun = 0;

        ReplayResult result = await ReplayTester.ReplayAsync<string, string>(ShipAsync, recording);

        Assert.Equal(ReplayOutcome.Completed, result.Outcome);
        Assert.Equal("\"reserved o-1, charged o-1\"", result.Result);
        Assert.Null(result.Mismatch);
        Assert.Equal(0, _bodiesRun);
        result.EnsureDeterministic();
    }

    [Fact]
    public async Task Replay_WithSwappedSteps_FailsWithTheDiffOfTheFirstChange()
    {
        ExecutionExport recording = await RecordAsync(ShipAsync, "o-1");
        _bodiesRun = 0;

        ReplayResult result = await ReplayTester.ReplayAsync<string, string>(ShipSwappedAsync, recording);

        Assert.Equal(ReplayOutcome.NonDeterministic, result.Outcome);
        ReplayMismatch mismatch = result.Mismatch!;
        Assert.Equal(1, mismatch.Position);
        Assert.Equal(recording.Operations.Single(o => o.Name == "reserve").Id, mismatch.OperationId);
        Assert.Equal(new ReplayMismatch.OperationKey(OperationType.Step, "reserve", "Step"), mismatch.Expected);
        Assert.Equal(new ReplayMismatch.OperationKey(OperationType.Step, "charge", "Step"), mismatch.Actual);
        Assert.Contains($"{nameof(ShipSwappedAsync)}", mismatch.CallSite);
        Assert.Contains($"{nameof(ReplayTesterTests)}.cs:line ", mismatch.CallSite);
        Assert.Equal(0, _bodiesRun);
        var thrown = Assert.Throws<NonDeterministicExecutionException>(result.EnsureDeterministic);
        Assert.Contains("expected (log): STEP \"reserve\" (Step)", thrown.Message);
        Assert.Contains("actual (code):  STEP \"charge\" (Step)", thrown.Message);
    }

    [Fact]
    public async Task Replay_OfAnExecutionRecordedMidFlight_StopsWhereTheRecordingEnds()
    {
        await using var runner = new DurableTestRunner<string, string>(async (order, context) =>
        {
            string reserved = await context.StepAsync((_, _) => Body($"reserved {order}"), "reserve");
            string approval = await context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "approval");
            return $"{reserved}, {approval}";
        });
        string arn = await runner.StartAsync("o-2");
        ExecutionExport recording = RoundTrip(await runner.Engine.ExportExecutionAsync(arn));
        _bodiesRun = 0;

        ReplayResult result = await ReplayTester.ReplayAsync<string, string>(async (order, context) =>
        {
            string reserved = await context.StepAsync((_, _) => Body($"reserved {order}"), "reserve");
            string approval = await context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "approval");
            return $"{reserved}, {approval}";
        }, recording);

        Assert.Equal(ExecutionStatus.Running, recording.Execution.Status);
        Assert.Equal(ReplayOutcome.StoppedAtRecordingEnd, result.Outcome);
        Assert.Null(result.Mismatch);
        Assert.Equal(0, _bodiesRun);
    }

    [Fact]
    public async Task Replay_WithNewCodeAfterTheRecordedPart_StopsBeforeRunningIt()
    {
        ExecutionExport recording = await RecordAsync(ShipAsync, "o-5");
        _bodiesRun = 0;

        ReplayResult result = await ReplayTester.ReplayAsync<string, string>(async (order, context) =>
        {
            string shipped = await ShipAsync(order, context);
            return await context.StepAsync((_, _) => Body($"notified {shipped}"), "notify");
        }, recording);

        Assert.Equal(ReplayOutcome.StoppedAtRecordingEnd, result.Outcome);
        Assert.Equal(0, _bodiesRun);
    }

    [Fact]
    public async Task Replay_OfAStepStartedButNotFinished_DoesNotRunItsBodyAgain()
    {
        ExecutionExport recording = await RecordAsync(ShipAsync, "o-3");
        Operation charge = recording.Operations.Single(o => o.Name == "charge");
        ExecutionExport midStep = recording with
        {
            Operations = [.. recording.Operations.Select(o => o == charge ? o with { Status = OperationStatus.Started, StepDetails = null, EndTimestamp = null } : o)],
        };
        _bodiesRun = 0;

        ReplayResult result = await ReplayTester.ReplayAsync<string, string>(ShipAsync, midStep);

        Assert.Equal(ReplayOutcome.StoppedAtRecordingEnd, result.Outcome);
        Assert.Equal(0, _bodiesRun);
    }

    [Fact]
    public async Task Replay_WhereTheWorkflowRethrowsARecordedFailure_IsFailedNotNonDeterministic()
    {
        async Task<int> Workflow(string _, IDurableContext context) =>
            await context.StepAsync<int>((_, _) => throw new InvalidOperationException("card declined"), "charge",
                new StepConfig { RetryStrategy = RetryStrategy.None });
        ExecutionExport recording = await RecordAsync<int>(Workflow, "o-4");

        ReplayResult result = await ReplayTester.ReplayAsync<string, int>(Workflow, recording);

        Assert.Equal(ReplayOutcome.Failed, result.Outcome);
        Assert.Equal("card declined", result.Error!.ErrorMessage);
        result.EnsureDeterministic();
    }

    [Theory]
    [InlineData("""{"Format":"something-else","Version":1}""", "\"Format\" must be \"durably-execution-export\"")]
    [InlineData("""{"Format":"durably-execution-export","Version":2,"Execution":null,"Operations":[],"Events":[]}""", "version 2 of the export format")]
    [InlineData("""[1, 2]""", "is not a Durably execution export")]
    public void Parse_OfAnotherFormatOrVersion_SaysWhatIsWrong(string json, string expected)
    {
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => ReplayTester.Parse(json, "golden.json"));

        Assert.StartsWith("golden.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    private static async Task<ExecutionExport> RecordAsync<T>(Func<string, IDurableContext, Task<T>> workflow, string input)
    {
        await using var runner = new DurableTestRunner<string, T>(workflow);
        string arn = await runner.StartAsync(input);
        await runner.WaitForResultAsync(arn);
        return RoundTrip(await runner.Engine.ExportExecutionAsync(arn));
    }

    /// <summary>Through JSON, as a golden file is read.</summary>
    private static ExecutionExport RoundTrip(ExecutionExport export) =>
        ReplayTester.Parse(JsonSerializer.Serialize(export, DurablyJson.Api));
}
