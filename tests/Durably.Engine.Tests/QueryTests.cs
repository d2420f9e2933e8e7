using Durably.Protocol;

namespace Durably.Engine.Tests;

public sealed class QueryTests
{
    [Fact]
    public async Task History_MarkersArePositions_ReusableToSeeNewEvents()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            if (invocation.Find("w1") is null)
            {
                await invocation.CheckpointAsync(Updates.StepSucceed("s1"), Updates.Wait("w1", 10));
                return EngineHarness.Pending();
            }

            return EngineHarness.Succeeded();
        });
        string arn = await harness.StartAsync();

        HistoryPage first = await harness.Engine.GetHistoryAsync(arn, maxItems: 2);
        HistoryPage rest = await harness.Engine.GetHistoryAsync(arn, first.NextMarker, maxItems: 100);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));
        HistoryPage reread = await harness.Engine.GetHistoryAsync(arn, first.NextMarker, maxItems: 100);
        HistoryPage reverse = await harness.Engine.GetHistoryAsync(arn, maxItems: 2, reverseOrder: true);

        Assert.Equal([1, 2], first.Events.Select(e => e.EventId));
        Assert.Equal([3, 4], rest.Events.Select(e => e.EventId));
        Assert.Null(rest.NextMarker);
        Assert.Equal([3, 4, 5, 6, 7], reread.Events.Select(e => e.EventId));
        Assert.Equal([7, 6], reverse.Events.Select(e => e.EventId));
        Assert.Equal("6", reverse.NextMarker);
    }

    [Fact]
    public async Task History_WithoutExecutionData_StripsPayloads()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded("\"secret\"")));
        string arn = await harness.StartAsync("\"input\"");

        HistoryPage page = await harness.Engine.GetHistoryAsync(arn, includeExecutionData: false);

        Assert.All(page.Events, e => Assert.Null(e.Details.Input?.Payload ?? e.Details.Result?.Payload));
        Assert.Null((await harness.Engine.GetExecutionAsync(arn, includeExecutionData: false)).Result);
    }

    [Fact]
    public async Task History_GarbageMarker_IsInvalidParameter()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded()));
        string arn = await harness.StartAsync();

        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(() => harness.Engine.GetHistoryAsync(arn, "not-a-marker"));

        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public async Task List_NewestFirstByDefault_FiltersAndPages()
    {
        await using var harness = new EngineHarness();
        harness.Register(invocation => Task.FromResult(invocation.Operations[0].ExecutionDetails!.InputPayload == "\"fail\"" ? EngineHarness.Failed("x") : EngineHarness.Succeeded()));
        var arns = new List<string>();
        foreach (string input in new[] { "\"a\"", "\"fail\"", "\"c\"" })
        {
            arns.Add(await harness.StartAsync(input));
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        DurableExecutionPage newest = await harness.Engine.ListExecutionsAsync(new ListDurableExecutionsRequest { FunctionName = EngineHarness.FunctionName, MaxItems = 2 });
        DurableExecutionPage next = await harness.Engine.ListExecutionsAsync(new ListDurableExecutionsRequest { FunctionName = EngineHarness.FunctionName, MaxItems = 2, Marker = newest.NextMarker });
        DurableExecutionPage oldest = await harness.Engine.ListExecutionsAsync(new ListDurableExecutionsRequest { FunctionName = EngineHarness.FunctionName, ReverseOrder = true });
        DurableExecutionPage failed = await harness.Engine.ListExecutionsAsync(new ListDurableExecutionsRequest { FunctionName = EngineHarness.FunctionName, Statuses = [ExecutionStatus.Failed] });

        Assert.Equal([arns[2], arns[1]], newest.DurableExecutions.Select(e => e.DurableExecutionArn));
        Assert.Equal([arns[0]], next.DurableExecutions.Select(e => e.DurableExecutionArn));
        Assert.Null(next.NextMarker);
        Assert.Equal(arns, oldest.DurableExecutions.Select(e => e.DurableExecutionArn));
        Assert.Equal(arns[1], Assert.Single(failed.DurableExecutions).DurableExecutionArn);
        await Assert.ThrowsAsync<DurableServiceException>(() => harness.Engine.ListExecutionsAsync(new ListDurableExecutionsRequest { FunctionName = "unknown" }));
    }

    [Fact]
    public async Task Envelope_OmitsChildrenOfClosedContextsUnlessReplayChildren()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            if (invocation.Find("w1") is null)
            {
                await invocation.CheckpointAsync(
                    Updates.ContextStart("c1"), Updates.StepSucceed("c1-s") with { ParentId = "c1" }, Updates.ContextStart("c1-inner", "c1"),
                    Updates.StepSucceed("c1-inner-s") with { ParentId = "c1-inner" }, Updates.ContextSucceed("c1"),
                    Updates.ContextStart("c2"), Updates.StepSucceed("c2-s") with { ParentId = "c2" }, Updates.ContextSucceed("c2", replayChildren: true),
                    Updates.Wait("w1", 1));
                return EngineHarness.Pending();
            }

            return EngineHarness.Succeeded();
        });
        string arn = await harness.StartAsync();

        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal([arn.Split('/')[^1], "c1", "c2", "c2-s", "w1"], harness.Invocations[1].Operations.Select(o => o.Id));
        Assert.Equal(8, (await harness.Engine.GetOperationsAsync(arn)).Count);
    }
}
