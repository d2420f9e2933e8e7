using System.Security.Cryptography;
using System.Text;
using AwsParity.Workflows;
using Durably.Protocol;
using Durably.Testing;

namespace Durably.AwsParity.Tests;

public sealed class ChildContextTests
{
    [Fact]
    public async Task A_child_context_groups_its_operations_under_one_CONTEXT_with_the_sub_type()
    {
        await using var runner = new DurableTestRunner<string, string>(ChildContextWorkflows.GroupedPhase);

        var result = Corpus.Succeeded(await runner.RunAsync("o-7"));

        Assert.Equal("o-7-picked-packed", result.Result);
        Assert.Equal(["Context fulfilment Succeeded", "Step pick Succeeded", "Wait pack-time Succeeded", "Step pack Succeeded"], Corpus.Shape(result));
        TestOperation context = result.GetStep("fulfilment");
        Assert.Equal("Fulfilment", context.SubType);
        Assert.All(result.GetChildren(context), child => Assert.Equal(context.Id, child.ParentId));
    }

    [Fact]
    public async Task ErrorMapping_turns_the_child_failure_into_a_domain_exception_on_the_first_run_and_on_replay()
    {
        // A wait after the failure makes a second invocation replay the failed child.
        await using var runner = new DurableTestRunner<string, string>(async (input, ctx) =>
        {
            string first = await ChildContextWorkflows.MappedFailure(input, ctx);
            await ctx.WaitAsync(TimeSpan.FromSeconds(1), name: "force-replay");
            string replayed = await ChildContextWorkflows.MappedFailure(input, ctx);
            return $"{first} | {replayed}";
        });

        var result = Corpus.Succeeded(await runner.RunAsync("o-8"));

        const string Mapped = "fulfilment failed: o-8 cannot be fulfilled (RunInChildContext)";
        Assert.Equal($"{Mapped} | {Mapped}", result.Result);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(["Context doomed Failed", "Step before-failure Succeeded", "Wait force-replay Succeeded", "Context doomed Failed", "Step before-failure Succeeded"],
            Corpus.Shape(result));
    }

    [Fact]
    public async Task A_virtual_context_records_no_CONTEXT_and_derives_its_operation_ids_as_AWS_does()
    {
        await using var runner = new DurableTestRunner<string, string>(ChildContextWorkflows.VirtualFanOut);

        var result = Corpus.Succeeded(await runner.RunAsync("v"));

        Assert.Equal("v-left,v-right", result.Result);
        Assert.Equal(["Step left-step Succeeded", "Step right-step Succeeded", "Wait after-fan-out Succeeded"], Corpus.Shape(result));
        Assert.DoesNotContain(result.History, e => e.EventType.StartsWith("Context", StringComparison.Ordinal));
        // The virtual contexts take the root's ids 1 and 2; their steps get "{id}-1" and stay parented to the root.
        Assert.Equal(Hash($"{Hash("1")}-1"), result.GetStep("left-step").Id);
        Assert.Equal(Hash($"{Hash("2")}-1"), result.GetStep("right-step").Id);
        Assert.Equal(Hash("3"), result.GetStep("after-fan-out").Id);
        Assert.All(result.Operations, operation => Assert.Null(operation.ParentId));
    }

    private static string Hash(string raw) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)));
}
