using Durably;

namespace DurablyWorker;

/// <summary>What to ship.</summary>
public sealed record ShipmentRequest(string OrderId);

/// <summary>The shipment: its label and the carrier that confirmed the pickup.</summary>
public sealed record ShipmentResult(string OrderId, string Label, string Carrier);

/// <summary>
/// A durable function run by this worker: a step, then a callback the carrier answers
/// (durably callback succeed &lt;callback-id&gt; '"DHL"'); the worker is idle while it waits.
/// </summary>
public static class ShipmentWorkflow
{
    public static async Task<ShipmentResult> HandleAsync(ShipmentRequest request, IDurableContext context)
    {
        string label = await context.StepAsync((_, _) => Task.FromResult($"LBL-{request.OrderId}"), "print-label");
        string carrier = await context.WaitForCallbackAsync<string>(
            (callbackId, step, _) =>
            {
                Console.WriteLine($"Waiting for the carrier: durably callback succeed {callbackId} '\"DHL\"'");
                return Task.CompletedTask;
            },
            "carrier-confirmation");
        return new ShipmentResult(request.OrderId, label, carrier);
    }
}
