namespace OrderProcessing;

/// <summary>A payment gateway that is unavailable for its first <c>failures</c> calls, then charges.</summary>
public sealed class FlakyPaymentGateway(int failures) : IPaymentGateway
{
    private int _calls;

    /// <summary>Calls so far, failed ones included.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<string> ChargeAsync(OrderEvent order, string idempotencyKey, CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _calls);
        if (call <= failures)
        {
            throw new PaymentUnavailableException($"Payment gateway unavailable (call {call}).");
        }

        // The key is stable across attempts and replays, so a real gateway would charge once.
        return Task.FromResult($"pay-{order.OrderId}-{idempotencyKey[..8]}");
    }
}

/// <summary>The gateway could not be reached; worth retrying.</summary>
public sealed class PaymentUnavailableException(string message) : Exception(message);
