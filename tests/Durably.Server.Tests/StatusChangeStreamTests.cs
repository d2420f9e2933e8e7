using System.Text.Json;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

/// <summary>The status-change events on the live stream: <c>event: status-change</c>, the envelope as data.</summary>
public sealed class StatusChangeStreamTests
{
    [Fact]
    public async Task Stream_CarriesRunningThenSucceeded_InTheEnvelope_UnderTheirChangesIds()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());
        await using ServerSentEvents stream = await ServerSentEvents.OpenAsync(server.Client, "durably/stream?FunctionName=echo");

        string arn = await server.Client.StartAsync("echo", "\"hi\"");
        var statusChanges = new List<(ServerSentEvent Event, string? PreviousId)>();
        string? previousId = null;
        while (statusChanges.Count < 2)
        {
            ServerSentEvent next = await stream.NextAsync($"the status changes of {arn} (got {statusChanges.Count})");
            if (next.Event == "status-change")
            {
                statusChanges.Add((next, previousId));
            }

            previousId = next.Id;
        }

        JsonElement running = JsonDocument.Parse(statusChanges[0].Event.Data).RootElement;
        JsonElement succeeded = JsonDocument.Parse(statusChanges[1].Event.Data).RootElement;
        Assert.Equal(("durably", "Durable Execution Status Change"), (running.GetProperty("source").GetString(), running.GetProperty("detail-type").GetString()));
        Assert.Equal(("RUNNING", arn), (running.GetProperty("detail").GetProperty("status").GetString(), running.GetProperty("detail").GetProperty("durableExecutionArn").GetString()));
        Assert.Equal("SUCCEEDED", succeeded.GetProperty("detail").GetProperty("status").GetString());
        Assert.True(succeeded.GetProperty("detail").TryGetProperty("endTimestamp", out _));
        // Each follows its change's execution event, under the same id (a client resuming after it has both).
        Assert.All(statusChanges, change => Assert.Equal(change.PreviousId, change.Event.Id));
    }
}
