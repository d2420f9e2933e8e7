using Durably.Protocol;

namespace Durably.Engine.Tests;

public sealed class HistoryMarkerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetHistory_MarkerPastTheLastEvent_IsInvalidParameter(bool reverseOrder)
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded }));
        string arn = await harness.StartAsync();
        int events = (await harness.HistoryAsync(arn)).Count;

        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(() =>
            harness.Engine.GetHistoryAsync(arn, marker: "31622401", reverseOrder: reverseOrder));
        HistoryPage last = await harness.Engine.GetHistoryAsync(arn, marker: $"{events}", reverseOrder: reverseOrder);

        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(reverseOrder ? events - 1 : 0, last.Events.Count);
    }
}
