using Durably;
using Microsoft.Extensions.Logging;

namespace RemoteWorker;

/// <summary>What the workflow ships.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="PickupDelaySeconds">How long the parcel waits for the carrier's pickup.</param>
public sealed record ShipmentRequest(string OrderId, int PickupDelaySeconds = 5);

/// <summary>The shipment: its label, the carrier that confirmed it, and the worker process that finished it.</summary>
public sealed record ShipmentResult(string OrderId, string Label, string Carrier, int WorkerProcessId);

/// <summary>
/// A durable workflow that runs in this worker process, not in the Durably server: it prints a label (a step),
/// waits for the pickup (a durable wait: the worker is idle meanwhile and may even restart), then waits for the
/// carrier to confirm through Durably's callback API.
/// </summary>
public static class ShipmentWorkflow
{
    /// <summary>The workflow.</summary>
    public static async Task<ShipmentResult> RunAsync(ShipmentRequest request, IDurableContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        string label = await context.StepAsync((step, _) =>
        {
            step.Logger.LogInformation("Printing the label of order {OrderId}", request.OrderId);
            return Task.FromResult($"LBL-{request.OrderId}");
        }, "print-label");
        await context.WaitAsync(TimeSpan.FromSeconds(Math.Max(1, request.PickupDelaySeconds)), "await-pickup");
        string carrier = await context.WaitForCallbackAsync<string>((callbackId, step, _) =>
        {
            step.Logger.LogInformation(
                "Waiting for the carrier. Confirm with: durably callback succeed {CallbackId} '\"DHL\"'", callbackId);
            return Task.CompletedTask;
        }, "carrier-confirmation");
        return new ShipmentResult(request.OrderId, label, carrier, Environment.ProcessId);
    }
}
