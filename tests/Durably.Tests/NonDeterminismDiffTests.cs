using System.Text.Json;
using Durably.Protocol;

namespace Durably.Tests;

public sealed class NonDeterminismDiffTests
{
    [Fact]
    public async Task Replay_WithSwappedSteps_FailsWithTheStructuredMismatchAndTheWorkflowsCallSite()
    {
        var client = new FakeExecutionClient("0");
        await client.InvokeAsync<int, int>(async (_, context) =>
        {
            await context.StepAsync((_, _) => Task.FromResult(1), "reserve");
            return await context.StepAsync((_, _) => Task.FromResult(2), "charge");
        });

        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, int>(async (_, context) =>
        {
            await context.StepAsync((_, _) => Task.FromResult(2), "charge");
            return await context.StepAsync((_, _) => Task.FromResult(1), "reserve");
        });

        Assert.Equal(InvocationStatus.Failed, output.Status);
        ReplayMismatch mismatch = JsonSerializer.Deserialize<ReplayMismatch>(output.Error!.ErrorData!, DurablyJson.Api)!;
        Assert.Equal(1, mismatch.Position);
        Assert.Null(mismatch.ParentId);
        Assert.Equal("reserve", mismatch.Expected.Name);
        Assert.Equal("charge", mismatch.Actual.Name);
        Assert.Contains($"{nameof(NonDeterminismDiffTests)}.cs:line ", mismatch.CallSite);
        Assert.Equal(mismatch.Describe(), output.Error.ErrorMessage);
    }

    [Fact]
    public async Task Replay_WithAChangeInsideAnUnfinishedChildContext_NamesThePositionInThatContext()
    {
        var client = new FakeExecutionClient("0");
        DurableExecutionInvocationOutput first = await client.InvokeAsync<int, int>((_, context) => context.RunInChildContextAsync(async (child, _) =>
        {
            await child.StepAsync((_, _) => Task.FromResult(1), "a");
            await child.WaitAsync(TimeSpan.FromSeconds(1), "b");
            return 2;
        }, "group"));

        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, int>((_, context) => context.RunInChildContextAsync(async (child, _) =>
        {
            await child.StepAsync((_, _) => Task.FromResult(1), "a");
            return await child.StepAsync((_, _) => Task.FromResult(2), "b");
        }, "group"));

        Assert.Equal(InvocationStatus.Pending, first.Status);
        ReplayMismatch mismatch = JsonSerializer.Deserialize<ReplayMismatch>(output.Error!.ErrorData!, DurablyJson.Api)!;
        Assert.Equal(2, mismatch.Position);
        Assert.NotNull(mismatch.ParentId);
        Assert.Equal(new ReplayMismatch.OperationKey(OperationType.Wait, "b", "Wait"), mismatch.Expected);
        Assert.Equal(new ReplayMismatch.OperationKey(OperationType.Step, "b", "Step"), mismatch.Actual);
        Assert.Contains($"{nameof(NonDeterminismDiffTests)}.cs:line ", mismatch.CallSite);
    }
}
