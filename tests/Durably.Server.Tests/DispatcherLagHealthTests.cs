using System.Text.Json;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

/// <summary><c>/health</c> reports the dispatcher's lag: how long ago the earliest timer not yet fired was due.</summary>
public sealed class DispatcherLagHealthTests
{
    [Fact]
    public async Task Health_ReportsNoLag_WhileTheDispatcherKeepsUp_AndTheOverdueTime_OnceItHasStopped()
    {
        var time = new TimerWatchingTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(), time: time);

        // "sleeper" waits a day: its timer is due, not overdue, then fired on time by a running dispatcher.
        await server.Client.StartAsync("sleeper", "\"a\"");
        await server.IdleAsync();
        Assert.Equal(0, await LagAsync(server));
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(30));
        server.Engine.Wake();
        await server.IdleAsync();
        Assert.Equal(0, await LagAsync(server));

        // With the dispatcher stopped, a timer that comes due stays unfired: the lag is how long ago it was due.
        await server.Client.StartAsync("sleeper", "\"b\"");
        await server.IdleAsync();
        await server.Engine.StopAsync();
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(90));
        Assert.Equal(90, await LagAsync(server));
    }

    private static async Task<double> LagAsync(DurablyTestServer server)
    {
        using HttpResponseMessage response = await server.Client.GetAsync("health");
        JsonElement health = await ApiAssert.JsonAsync(response);
        Assert.Equal("Healthy", health.GetProperty("Status").GetString());
        return health.GetProperty("DispatcherLagSeconds").GetDouble();
    }
}
