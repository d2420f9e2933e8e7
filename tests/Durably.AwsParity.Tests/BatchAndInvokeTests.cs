using AwsParity.Workflows;
using Durably.Testing;

namespace Durably.AwsParity.Tests;

public sealed class BatchAndInvokeTests
{
    [Fact]
    public async Task Parallel_branches_each_get_a_context_and_their_results_add_up()
    {
        await using var runner = new DurableTestRunner<int, int>(BatchWorkflows.SumInParallel);

        var result = Corpus.Succeeded(await runner.RunAsync(10));

        Assert.Equal(36, result.Result);
        TestOperation parallel = result.GetStep("sum");
        Assert.Equal("Parallel", parallel.SubType);
        Assert.Equal(3, result.GetChildren(parallel).Count);
        Assert.All(result.GetChildren(parallel), branch => Assert.Equal("ParallelBranch", branch.SubType));
    }

    [Theory]
    [InlineData(2, "AllCompleted ok=2 failed=2 started=0 errors=[branch 0 failed|branch 1 failed]")]
    [InlineData(3, "FailureToleranceExceeded ok=0 failed=3 started=0 errors=[branch 0 failed|branch 1 failed|branch 2 failed]")]
    public async Task ToleratedFailurePercentage_is_a_ratio_of_all_branches(int failing, string expected)
    {
        await using var runner = new DurableTestRunner<int, string>(BatchWorkflows.TolerateHalf);

        var result = Corpus.Succeeded(await runner.RunAsync(failing));

        Assert.Equal(expected, result.Result);
        Assert.Equal(failing, result.GetStep("tolerant").Children.Count(c => c.Status == Protocol.OperationStatus.Failed));
    }

    [Fact]
    public async Task FirstSuccessful_completes_at_the_first_success()
    {
        await using var runner = new DurableTestRunner<string, string>(BatchWorkflows.FirstToSucceed);

        var result = Corpus.Succeeded(await runner.RunAsync("w"));

        Assert.Equal("MinSuccessfulReached: w of 2 started", result.Result);
        Assert.Equal(["Context race Succeeded", "Context fails Failed", "Context wins Succeeded", "Step win Succeeded"], Corpus.Shape(result));
    }

    [Fact]
    public async Task Map_item_function_receives_the_whole_list_and_flat_items_record_no_context()
    {
        await using var runner = new DurableTestRunner<IReadOnlyList<string>, IReadOnlyList<string>>(BatchWorkflows.MapWithItems);

        var result = Corpus.Succeeded(await runner.RunAsync(["a", "b", "c"]));

        Assert.Equal(["1/3:a", "2/3:b", "3/3:c"], result.Result);
        TestOperation map = result.GetStep("price-all");
        Assert.Equal(["price-a", "price-b", "price-c"], result.GetChildren(map).Select(c => c.Name));
        Assert.All(result.GetChildren(map), c => Assert.Equal(Protocol.OperationType.Step, c.Type));
    }

    [Fact]
    public async Task Invoke_returns_the_target_result_and_a_failed_target_names_its_function()
    {
        await using var runner = new DurableTestRunner<QuoteRequest, string>(InvokeWorkflows.InvokePricing);
        runner.RegisterFunction<QuoteRequest, Quote>("pricing", request => Task.FromResult(new Quote(request.Sku, request.Quantity * 1.5m)));
        runner.RegisterDurableFunction<QuoteRequest, Quote>("broken-pricing", (_, _) => throw new InvalidOperationException("no prices today"));

        var result = Corpus.Succeeded(await runner.RunAsync(new QuoteRequest("s-1", 4)));

        Assert.Equal("s-1=6.0; broken-pricing failed: InvalidOperationException", result.Result);
        Assert.Equal(["ChainedInvoke get-quote Succeeded", "ChainedInvoke get-second-quote Failed"], Corpus.Shape(result));
    }
}
