using Durably.Engine;

namespace Durably.TestSupport;

/// <summary>Bounded waits on a <see cref="WebhookDeliverer"/>'s signals, failing with what they waited for.</summary>
public static class WebhookDelivererWaits
{
    /// <summary>Waits (at most <see cref="WebhookReceiver.Wait"/>) until the subscription has gone through the outbox up to <paramref name="position"/>.</summary>
    public static async Task WaitForCursorAsync(this WebhookDeliverer deliverer, string subscriptionName, long position)
    {
        try
        {
            await deliverer.WhenCursorAtLeastAsync(subscriptionName, position).WaitAsync(WebhookReceiver.Wait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"The subscription '{subscriptionName}' did not go through the outbox up to position {position} within {WebhookReceiver.Wait.TotalSeconds} s.");
        }
    }
}
