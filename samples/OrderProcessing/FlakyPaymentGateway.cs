using System.Collections.Concurrent;

namespace OrderProcessing;

/// <summary>A payment gateway that is unavailable for the first <c>failures</c> calls of each order, then charges.</summary>
public sealed class FlakyPaymentGateway(int failures) : IPaymentGateway
{
    private readonly ConcurrentDictionary<string, int> _callsByOrder = new();
    private int _calls;

    /// <summary>Calls so far, failed ones included, over all orders.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public Task<string> ChargeAsync(OrderEvent order, string idempotencyKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        int call = _callsByOrder.AddOrUpdate(order.OrderId, 1, (_, calls) => calls + 1);
        if (call <= failures)
        {
            throw new PaymentUnavailableException($"Payment gateway unavailable (call {call} for order {order.OrderId}).");
        }

        // The key is stable across attempts and replays, so a real gateway would charge once.
        return Task.FromResult($"pay-{order.OrderId}-{idempotencyKey[..8]}");
    }
}

/// <summary>The gateway could not be reached; worth retrying.</summary>
public sealed class PaymentUnavailableException(string message) : Exception(message);
