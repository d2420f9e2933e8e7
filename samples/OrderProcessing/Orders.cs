using System.Text.Json.Serialization;

namespace OrderProcessing;

/// <summary>The execution's input: one order to validate, approve and charge.</summary>
public sealed record OrderEvent(string OrderId, decimal Amount = 25.00m, string Currency = "EUR");

/// <summary>The verdict of the <c>validate-order</c> step.</summary>
public sealed record OrderValidation(bool IsValid, string? Reason = null);

/// <summary>What the approval system answers through the <c>awaiting-approval</c> callback.</summary>
public sealed record ApprovalDecision(bool Approved, string? Approver = null, string? Comment = null);

/// <summary>The execution's result.</summary>
public sealed record OrderResult(string OrderId, OrderStatus Status, string? PaymentId = null, string? Reason = null);

/// <summary>How an order ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
public enum OrderStatus
{
    Processed,
    Rejected,
}

/// <summary>The order can never be processed: a terminal error, raised by the handler outside any step.</summary>
public sealed class InvalidOrderException(string orderId, string reason)
    : Exception($"Order {orderId} is invalid: {reason}");
