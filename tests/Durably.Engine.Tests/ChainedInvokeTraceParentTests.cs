using Durably.Protocol;

namespace Durably.Engine.Tests;

/// <summary>The traceparent a CHAINED_INVOKE START carries is stored with the child and handed to its first invocation.</summary>
public sealed class ChainedInvokeTraceParentTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public async Task The_childs_first_invocation_gets_the_traceparent_and_later_ones_do_not()
    {
        await using var harness = new EngineHarness();
        harness.Register(async invocation =>
        {
            Operation? invoke = invocation.Find("i1");
            if (invoke is null)
            {
                await invocation.CheckpointAsync(Updates.Invoke("i1", "child", "1") with
                {
                    ChainedInvokeOptions = new ChainedInvokeOptions { FunctionName = "child", TraceParent = TraceParent },
                });
                return EngineHarness.Pending();
            }

            return EngineHarness.Succeeded(invoke.ChainedInvokeDetails!.Result);
        });
        // The child waits once, so it has a second invocation.
        harness.Register(async invocation =>
        {
            if (invocation.Find("w1") is null)
            {
                await invocation.CheckpointAsync(Updates.Wait("w1", 10));
                return EngineHarness.Pending();
            }

            return EngineHarness.Succeeded();
        }, name: "child");

        string arn = await harness.StartAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ExecutionStatus.Succeeded, (await harness.DescribeAsync(arn)).Status);
        RawInvocation[] child = [.. harness.Invocations.Where(i => i.Input.DurableExecutionArn != arn)];
        Assert.Equal([TraceParent, null], child.Select(i => i.Input.TraceParent));
        Assert.All(harness.Invocations.Where(i => i.Input.DurableExecutionArn == arn), i => Assert.Null(i.Input.TraceParent));
    }

    [Fact]
    public async Task A_malformed_traceparent_is_rejected_and_no_child_starts()
    {
        await using var harness = new EngineHarness();
        DurableServiceException? error = null;
        harness.Register(async invocation =>
        {
            error = await Assert.ThrowsAsync<DurableServiceException>(() => invocation.CheckpointAsync(Updates.Invoke("i1", "child", "1") with
            {
                ChainedInvokeOptions = new ChainedInvokeOptions { FunctionName = "child", TraceParent = "not-a-traceparent" },
            }));
            return EngineHarness.Succeeded();
        });
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded()), name: "child");

        await harness.StartAsync();

        Assert.Contains("TraceParent 'not-a-traceparent'", error!.Message, StringComparison.Ordinal);
        Assert.Single(harness.Invocations);
    }
}
