using AwsParity.Workflows;
using Durably.Protocol;
using Durably.Testing;

namespace Durably.AwsParity.Tests;

public sealed class StepAndOrderTests
{
    [Fact]
    public async Task Readme_order_workflow_runs_its_steps_once_and_waits_two_hours()
    {
        await using var runner = new DurableTestRunner<Order, OrderResult>(OrderWorkflow.RunAsync);

        var result = Corpus.Succeeded(await runner.RunAsync(new Order("o-1", [new OrderItem("a", 2), new OrderItem("b", 3)], 12.5m)));

        Assert.Equal(new OrderResult("o-1", "TRK-5/True"), result.Result);
        Assert.Equal(
            ["Step reserve-inventory Succeeded", "Step process-payment Succeeded", "Wait warehouse-processing Succeeded", "Step confirm-shipment Succeeded"],
            Corpus.Shape(result));
        Assert.Equal(2 * 3600, result.GetStep("warehouse-processing").WaitSeconds);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(4, result.GetStepsByStatus(OperationStatus.Succeeded).Count);
        Assert.Equal(4, result.GetStepsByStatus("SUCCEEDED").Count);
        Assert.Null(result.FindStep("missing"));
        Assert.Same(result.Operations, result.Steps);
    }

    [Fact]
    public async Task Exponential_retry_with_retryable_exceptions_records_each_attempt()
    {
        await using var runner = new DurableTestRunner<int, string>(StepWorkflows.RetriesTransientFailures);

        var result = Corpus.Succeeded(await runner.RunAsync(2));

        Assert.Equal("ok after 3 attempts", result.Result);
        Assert.Equal(["Step call-flaky-service Succeeded"], Corpus.Shape(result));
        Assert.Equal(3, result.GetStep("call-flaky-service").Attempt);
        Assert.Equal(2, Corpus.Events(result, "call-flaky-service").Count(e => e == HistoryEventTypes.StepFailed));
    }

    [Fact]
    public async Task A_non_retryable_failure_surfaces_as_StepException_with_the_original_type()
    {
        await using var runner = new DurableTestRunner<string, string>(StepWorkflows.SurfacesStepException);

        var result = Corpus.Succeeded(await runner.RunAsync("x"));

        Assert.Equal("InvalidOperationException: bad input x", result.Result);
        Assert.Equal(["Step validate Failed"], Corpus.Shape(result));
    }

    [Fact]
    public async Task A_domain_exception_derived_from_StepException_is_retried_by_a_delegate_then_recorded()
    {
        await using var runner = new DurableTestRunner<int, string>(StepWorkflows.VoidStepAndDomainException);

        var result = Corpus.Succeeded(await runner.RunAsync(3));

        Assert.Equal("QuotaExceededException after retry: limit 3 reached", result.Result);
        Assert.Equal(["Step warm-up Succeeded", "Step consume-quota Failed"], Corpus.Shape(result));
        Assert.Equal(2, result.GetStep("consume-quota").Attempt);
    }

    [Fact]
    public async Task ExecutionContext_carries_the_execution_arn()
    {
        await using var runner = new DurableTestRunner<string, string>(StepWorkflows.UsesExecutionContext);

        var result = Corpus.Succeeded(await runner.RunAsync("k"));

        Assert.Equal("k@arn", result.Result);
    }
}
