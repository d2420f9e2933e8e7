using Durably;

namespace AwsParity.Workflows;

// AWS's README "first durable function": two steps, a wait, a step; step bodies take the token.
public record OrderItem(string Sku, int Quantity);
public record Order(string Id, IReadOnlyList<OrderItem> Items, decimal Total);
public record Reservation(string ReservationId, int Units);
public record Shipment(string TrackingNumber);
public record OrderResult(string OrderId, string TrackingNumber);

public static class OrderWorkflow
{
    public static async Task<OrderResult> RunAsync(Order order, IDurableContext ctx)
    {
        var reservation = await ctx.StepAsync(
            async (_, ct) => await Inventory.ReserveAsync(order.Items, ct),
            name: "reserve-inventory");

        var chargeId = await ctx.StepAsync(
            async (step, ct) =>
            {
                await Task.Yield();
                ct.ThrowIfCancellationRequested();
                return $"charge-{step.OperationId[..8]}-{order.Total}";
            },
            name: "process-payment");

        await ctx.WaitAsync(TimeSpan.FromHours(2), name: "warehouse-processing");

        var shipment = await ctx.StepAsync(
            async (_, ct) => await Inventory.ShipAsync(reservation, ct),
            name: "confirm-shipment");

        return new OrderResult(order.Id, $"{shipment.TrackingNumber}/{chargeId.Length > 0}");
    }

    private static class Inventory
    {
        public static Task<Reservation> ReserveAsync(IReadOnlyList<OrderItem> items, CancellationToken ct) =>
            Task.FromResult(new Reservation("res-1", items.Sum(i => i.Quantity)));

        public static Task<Shipment> ShipAsync(Reservation reservation, CancellationToken ct) =>
            Task.FromResult(new Shipment($"TRK-{reservation.Units}"));
    }
}
