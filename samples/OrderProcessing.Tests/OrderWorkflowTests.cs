using Durably;
using Durably.Protocol;
using Durably.Testing;

namespace OrderProcessing.Tests;

/// <summary>
/// The order workflow on the real engine with fake time: the 3-minute approval timeout and the
/// payment retry delays (5 s, 10 s) pass instantly.
/// </summary>
public sealed class OrderWorkflowTests
{
    private readonly ApprovalInbox _approvals = new();

    [Fact]
    public async Task Approved_ChargesTheOrderOnce()
    {
        var payments = new FlakyPaymentGateway(failures: 0);
        await using DurableTestRunner<OrderEvent, OrderResult> runner = CreateRunner(payments);

        string arn = await runner.StartAsync(new OrderEvent("o-1"));
        string callbackId = await runner.WaitForCallbackAsync(arn, "awaiting-approval");
        Assert.Equal(callbackId, Assert.Single(_approvals.Pending()).CallbackId);
        await runner.SendCallbackSuccessAsync(callbackId, new ApprovalDecision(true, "alice"));
        TestResult<OrderResult> result = await runner.WaitForResultAsync(arn);

        Assert.True(result.IsSucceeded);
        Assert.Equal(OrderStatus.Processed, result.Result!.Status);
        Assert.Equal(OperationStatus.Succeeded, result.GetStep("validate-order").Status);
        Assert.Equal(OperationStatus.Succeeded, result.GetStep("send-for-approval").Status);
        TestOperation approval = result.GetStep("awaiting-approval");
        Assert.Equal(OperationType.Callback, approval.Type);
        Assert.Equal(OperationStatus.Succeeded, approval.Status);
        Assert.Equal(callbackId, approval.CallbackId);
        Assert.Equal("alice", approval.GetResult<ApprovalDecision>()!.Approver);
        TestOperation charge = result.GetStep("process-order");
        Assert.Equal(OperationStatus.Succeeded, charge.Status);
        Assert.Equal(1, charge.Attempt);
        Assert.Equal(result.Result.PaymentId, charge.GetResult<string>());
        Assert.Equal(1, payments.Calls);
        Assert.Equal(
        [
            "ExecutionStarted",
            "StepStarted validate-order", "StepSucceeded validate-order",
            "CallbackStarted awaiting-approval",
            "StepStarted send-for-approval", "StepSucceeded send-for-approval",
            "CallbackSucceeded awaiting-approval",
            "StepStarted process-order", "StepSucceeded process-order",
            "ExecutionSucceeded",
        ], Timeline.Of(result.History));
    }

    [Fact]
    public async Task CallbackFailure_RejectsTheOrder()
    {
        var payments = new FlakyPaymentGateway(failures: 0);
        await using DurableTestRunner<OrderEvent, OrderResult> runner = CreateRunner(payments);

        string arn = await runner.StartAsync(new OrderEvent("o-2"));
        string callbackId = await runner.WaitForCallbackAsync(arn, "awaiting-approval");
        await runner.SendCallbackFailureAsync(callbackId, new ErrorObject { ErrorType = "ApprovalRejected", ErrorMessage = "Over the credit limit." });
        TestResult<OrderResult> result = await runner.WaitForResultAsync(arn);

        Assert.True(result.IsSucceeded);
        Assert.Equal(new OrderResult("o-2", OrderStatus.Rejected, Reason: "Over the credit limit."), result.Result);
        TestOperation approval = result.GetStep("awaiting-approval");
        Assert.Equal(OperationStatus.Failed, approval.Status);
        Assert.Equal("ApprovalRejected", approval.Error?.ErrorType);
        Assert.Empty(result.GetOperations("process-order"));
        Assert.Equal(0, payments.Calls);
        Assert.Equal(["CallbackFailed awaiting-approval", "ExecutionSucceeded"], Timeline.Of(result.History).TakeLast(2));
    }

    [Fact]
    public async Task NotApproved_RejectsTheOrderWithTheApproversComment()
    {
        var payments = new FlakyPaymentGateway(failures: 0);
        await using DurableTestRunner<OrderEvent, OrderResult> runner = CreateRunner(payments);

        string arn = await runner.StartAsync(new OrderEvent("o-3"));
        string callbackId = await runner.WaitForCallbackAsync(arn, "awaiting-approval");
        await runner.SendCallbackSuccessAsync(callbackId, new ApprovalDecision(false, "bob", "Duplicate order."));
        TestResult<OrderResult> result = await runner.WaitForResultAsync(arn);

        Assert.Equal(new OrderResult("o-3", OrderStatus.Rejected, Reason: "Duplicate order."), result.Result);
        Assert.Equal(OperationStatus.Succeeded, result.GetStep("awaiting-approval").Status);
        Assert.Empty(result.GetOperations("process-order"));
        Assert.Equal(0, payments.Calls);
    }

    [Fact]
    public async Task NoAnswerWithinThreeMinutes_FailsTheExecution()
    {
        var payments = new FlakyPaymentGateway(failures: 0);
        await using DurableTestRunner<OrderEvent, OrderResult> runner = CreateRunner(payments);

        TestResult<OrderResult> result = await runner.RunAsync(new OrderEvent("o-4"));

        Assert.True(result.IsFailed);
        Assert.Equal(nameof(CallbackTimeoutException), result.Error?.ErrorType);
        TestOperation approval = result.GetStep("awaiting-approval");
        Assert.Equal(OperationStatus.TimedOut, approval.Status);
        Assert.Equal(OrderWorkflow.ApprovalTimeout, approval.EndTimestamp - approval.StartTimestamp);
        Assert.Single(_approvals.Pending());
        Assert.Empty(result.GetOperations("process-order"));
        Assert.Equal(0, payments.Calls);
        Assert.Equal(["CallbackTimedOut awaiting-approval", "ExecutionFailed"], Timeline.Of(result.History).TakeLast(2));
    }

    [Fact]
    public async Task PaymentFailsOnce_RetriesAndCharges()
    {
        var payments = new FlakyPaymentGateway(failures: 1);
        await using DurableTestRunner<OrderEvent, OrderResult> runner = CreateRunner(payments);

        TestResult<OrderResult> result = await ApproveAsync(runner, new OrderEvent("o-5"));

        Assert.True(result.IsSucceeded);
        Assert.Equal(OrderStatus.Processed, result.Result!.Status);
        TestOperation charge = result.GetStep("process-order");
        Assert.Equal(OperationStatus.Succeeded, charge.Status);
        Assert.Equal(2, charge.Attempt);
        Assert.Equal(2, payments.Calls);
        IReadOnlyList<HistoryEvent> events = Timeline.For(result.History, "process-order");
        Assert.Equal(
            [HistoryEventTypes.StepStarted, HistoryEventTypes.StepFailed, HistoryEventTypes.StepStarted, HistoryEventTypes.StepSucceeded],
            events.Select(e => e.EventType));
        RetryDetails retry = events[1].Details.RetryDetails!;
        Assert.Equal(1, retry.CurrentAttempt);
        Assert.InRange(retry.NextAttemptDelaySeconds!.Value, 1, 5);
        Assert.Equal(nameof(PaymentUnavailableException), events[1].Details.Error?.Payload?.ErrorType);
    }

    [Fact]
    public async Task PaymentNeverSucceeds_FailsAfterThreeAttempts()
    {
        var payments = new FlakyPaymentGateway(failures: int.MaxValue);
        await using DurableTestRunner<OrderEvent, OrderResult> runner = CreateRunner(payments);

        TestResult<OrderResult> result = await ApproveAsync(runner, new OrderEvent("o-6"));

        Assert.True(result.IsFailed);
        Assert.Equal(nameof(StepException), result.Error?.ErrorType);
        Assert.Contains("unavailable (call 3 for order", result.Error?.ErrorMessage, StringComparison.Ordinal);
        TestOperation charge = result.GetStep("process-order");
        Assert.Equal(OperationStatus.Failed, charge.Status);
        Assert.Equal(3, charge.Attempt);
        Assert.Equal(nameof(PaymentUnavailableException), charge.Error?.ErrorType);
        Assert.Equal(3, payments.Calls);
        HistoryEvent[] failures = [.. Timeline.For(result.History, "process-order").Where(e => e.EventType == HistoryEventTypes.StepFailed)];
        Assert.Equal([1, 2, 3], failures.Select(e => e.Details.RetryDetails?.CurrentAttempt));
        Assert.NotNull(failures[1].Details.RetryDetails?.NextAttemptDelaySeconds);
        Assert.Null(failures[2].Details.RetryDetails?.NextAttemptDelaySeconds);
        Assert.Equal("ExecutionFailed", Timeline.Of(result.History)[^1]);
    }

    [Fact]
    public async Task InvalidOrder_FailsOutsideAnyStepWithoutRetrying()
    {
        var payments = new FlakyPaymentGateway(failures: 0);
        await using DurableTestRunner<OrderEvent, OrderResult> runner = CreateRunner(payments);

        TestResult<OrderResult> result = await runner.RunAsync(new OrderEvent("o-7", Amount: 0m));

        Assert.True(result.IsFailed);
        Assert.Equal(nameof(InvalidOrderException), result.Error?.ErrorType);
        Assert.Contains("amount must be positive", result.Error?.ErrorMessage, StringComparison.Ordinal);
        TestOperation validation = result.GetStep("validate-order");
        Assert.Equal(OperationStatus.Succeeded, validation.Status);
        Assert.Equal(1, validation.Attempt);
        Assert.False(validation.GetResult<OrderValidation>()!.IsValid);
        Assert.Empty(result.GetOperations("awaiting-approval"));
        Assert.Empty(_approvals.Pending());
        Assert.Equal(1, result.InvocationCount);
        Assert.Equal(
            ["ExecutionStarted", "StepStarted validate-order", "StepSucceeded validate-order", "ExecutionFailed"],
            Timeline.Of(result.History));
    }

    private DurableTestRunner<OrderEvent, OrderResult> CreateRunner(IPaymentGateway payments) =>
        new(new OrderWorkflow(_approvals, payments).HandleAsync);

    private static async Task<TestResult<OrderResult>> ApproveAsync(DurableTestRunner<OrderEvent, OrderResult> runner, OrderEvent order)
    {
        string arn = await runner.StartAsync(order);
        string callbackId = await runner.WaitForCallbackAsync(arn, "awaiting-approval");
        await runner.SendCallbackSuccessAsync(callbackId, new ApprovalDecision(true, "carol"));
        return await runner.WaitForResultAsync(arn);
    }
}
