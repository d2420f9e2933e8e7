using Durably;

namespace DurablyServer;

/// <summary>An order to confirm.</summary>
public sealed record Order(string OrderId, decimal Amount);

/// <summary>What the workflow returns.</summary>
public sealed record Receipt(string OrderId, string Reservation, string Status);

/// <summary>
/// A durable function: each step's result is checkpointed, so after a crash or restart the workflow resumes
/// where it was; the wait suspends it without holding a thread, for minutes or months.
/// </summary>
public static class OrderWorkflow
{
    public static async Task<Receipt> HandleAsync(Order order, IDurableContext context)
    {
        string reservation = await context.StepAsync((_, _) => Task.FromResult($"R-{order.OrderId}"), "reserve");
        await context.WaitAsync(TimeSpan.FromMinutes(5), "cooling-off");
        string status = await context.StepAsync((_, _) => Task.FromResult(order.Amount > 1000 ? "needs-review" : "confirmed"), "confirm");
        return new Receipt(order.OrderId, reservation, status);
    }
}
