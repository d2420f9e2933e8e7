using Durably.Testing;

namespace DurablyServer.Tests;

/// <summary>The workflow on the real engine with fake time: the 5-minute wait passes at once.</summary>
public sealed class OrderWorkflowTests
{
    [Fact]
    public async Task Confirms_a_small_order_after_the_cooling_off_wait()
    {
        await using var runner = new DurableTestRunner<Order, Receipt>(OrderWorkflow.HandleAsync);

        TestResult<Receipt> result = await runner.RunAsync(new Order("o-1", 42m));

        Assert.True(result.IsSucceeded);
        Assert.Equal(new Receipt("o-1", "R-o-1", "confirmed"), result.Result);
    }

    [Fact]
    public async Task Sends_a_large_order_to_review()
    {
        await using var runner = new DurableTestRunner<Order, Receipt>(OrderWorkflow.HandleAsync);

        TestResult<Receipt> result = await runner.RunAsync(new Order("o-2", 5000m));

        Assert.Equal("needs-review", result.Result!.Status);
    }
}
