using Durably.Testing;

namespace DurablyWorker.Tests;

/// <summary>The worker's workflow on the real engine, in process: no server, no HTTP.</summary>
public sealed class ShipmentWorkflowTests
{
    [Fact]
    public async Task Ships_once_the_carrier_confirms()
    {
        await using var runner = new DurableTestRunner<ShipmentRequest, ShipmentResult>(ShipmentWorkflow.HandleAsync);

        string arn = await runner.StartAsync(new ShipmentRequest("o-1"));
        string callbackId = await runner.WaitForCallbackAsync(arn, "carrier-confirmation");
        await runner.SendCallbackSuccessAsync(callbackId, "DHL");
        TestResult<ShipmentResult> result = await runner.WaitForResultAsync(arn);

        Assert.True(result.IsSucceeded);
        Assert.Equal(new ShipmentResult("o-1", "LBL-o-1", "DHL"), result.Result);
    }
}
