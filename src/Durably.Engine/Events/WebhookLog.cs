using Microsoft.Extensions.Logging;

namespace Durably.Engine;

/// <summary>The webhook deliverer's log messages.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Webhook {Subscription} gave up on outbox event {Position} after {Attempts} attempts ({Error}); it is in the dead-letter list.")]
    public static partial void WebhookDeadLettered(this ILogger logger, string subscription, long position, int attempts, string error);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Webhook {Subscription} could not read or save its outbox position; it tries again.")]
    public static partial void WebhookStoreFailed(this ILogger logger, string subscription, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "The saved event subscription {Subscription} is not delivered to: {Reason}. It stays saved.")]
    public static partial void SavedSubscriptionSkipped(this ILogger logger, string subscription, string reason);
}
