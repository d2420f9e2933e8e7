using Durably;
using Microsoft.Extensions.Logging;

namespace OrderProcessing;

/// <summary>
/// The order workflow: validate, ask a person for approval (3 minutes at most), then charge
/// the order against a flaky payment gateway with retries. Each durable call is recorded; after
/// a suspension the handler runs again from the top and completed operations return their
/// recorded results instead of running again.
/// </summary>
public sealed class OrderWorkflow
{
    /// <summary>How long a person has to answer the approval request.</summary>
    public static readonly TimeSpan ApprovalTimeout = TimeSpan.FromMinutes(3);

    private readonly IApprovalSystem _approvals;
    private readonly IPaymentGateway _payments;
    private readonly StepConfig _paymentRetries;

    /// <param name="approvals">Where approval requests go.</param>
    /// <param name="payments">Charges approved orders.</param>
    /// <param name="paymentRetryDelay">Delay before the first payment retry (then ×2); 5 s when null.</param>
    public OrderWorkflow(IApprovalSystem approvals, IPaymentGateway payments, TimeSpan? paymentRetryDelay = null)
    {
        _approvals = approvals;
        _payments = payments;
        _paymentRetries = new StepConfig
        {
            RetryStrategy = RetryStrategy.Exponential(maxAttempts: 3, initialDelay: paymentRetryDelay ?? TimeSpan.FromSeconds(5), backoffRate: 2),
        };
    }

    public async Task<OrderResult> HandleAsync(OrderEvent order, IDurableContext context)
    {
        OrderValidation validation = await context.StepAsync((_, _) => Task.FromResult(Validate(order)), "validate-order");
        if (!validation.IsValid)
        {
            // Outside any step: no retry can fix the order, so the execution fails at once.
            throw new InvalidOrderException(order.OrderId, validation.Reason!);
        }

        ICallback<ApprovalDecision> approval = await context.CreateCallbackAsync<ApprovalDecision>(
            "awaiting-approval", new CallbackConfig { Timeout = ApprovalTimeout });
        await context.StepAsync((_, cancellationToken) => _approvals.RequestApprovalAsync(order, approval.CallbackId, cancellationToken), "send-for-approval");

        ApprovalDecision decision;
        try
        {
            decision = await approval.GetResultAsync();
        }
        catch (CallbackFailedException rejected)
        {
            // A callback answered with a failure is the approver saying no (the console's "fail" button).
            // A timeout (CallbackTimeoutException) is not caught: nobody decided, so the execution fails.
            return new OrderResult(order.OrderId, OrderStatus.Rejected, Reason: rejected.Error.ErrorMessage ?? rejected.ErrorType);
        }

        if (!decision.Approved)
        {
            return new OrderResult(order.OrderId, OrderStatus.Rejected, Reason: decision.Comment ?? "Not approved.");
        }

        string paymentId = await context.StepAsync(
            (step, cancellationToken) => _payments.ChargeAsync(order, step.OperationId, cancellationToken), "process-order", _paymentRetries);
        context.Logger.LogInformation("Order {OrderId} approved by {Approver} and charged: {PaymentId}", order.OrderId, decision.Approver, paymentId);
        return new OrderResult(order.OrderId, OrderStatus.Processed, paymentId);
    }

    private static OrderValidation Validate(OrderEvent order) => order switch
    {
        { OrderId: null or "" } => new OrderValidation(false, "The order has no id."),
        { Amount: <= 0 } => new OrderValidation(false, $"The amount must be positive; got {order.Amount}."),
        { Currency.Length: not 3 } => new OrderValidation(false, $"'{order.Currency}' is not an ISO 4217 currency code."),
        _ => new OrderValidation(true),
    };
}
