namespace OrderProcessing;

/// <summary>Where orders go to be approved by a person; the answer comes back through a callback.</summary>
public interface IApprovalSystem
{
    /// <summary>Asks for an approval of <paramref name="order"/>, to be answered to <paramref name="callbackId"/>.</summary>
    Task RequestApprovalAsync(OrderEvent order, string callbackId, CancellationToken cancellationToken);
}

/// <summary>Charges orders; may fail transiently.</summary>
public interface IPaymentGateway
{
    /// <summary>Charges the order once per <paramref name="idempotencyKey"/> and returns the payment id.</summary>
    Task<string> ChargeAsync(OrderEvent order, string idempotencyKey, CancellationToken cancellationToken);
}
