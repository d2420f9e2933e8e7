using System.Text.Json;
using Durably.Engine;
using Durably.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Durably.Server.Tests;

/// <summary><c>/health</c> reports the outbox backlog: the events the furthest-behind webhook subscription has yet to go through.</summary>
public sealed class OutboxHealthTests
{
    [Fact]
    public async Task Health_ReportsTheBacklog_UntilTheDelivererCatchesUp()
    {
        var time = new TimerWatchingTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var pollInterval = TimeSpan.FromSeconds(7);
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(_ => 204);
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions()
            .AddEventSubscription("all", receiver.Url, """{"source":["durably"]}""", "a-webhook-secret-of-32-characters!")
            .ConfigureEventDelivery(options => options.PollInterval = pollInterval), time: time);
        // The deliverer found the outbox empty and waits for its next poll, on fake time.
        await time.WhenTimerArmedAsync(pollInterval);
        Assert.Equal(0, await BacklogAsync(server));

        string arn = await server.Client.StartAsync("echo", "\"hi\"");
        await server.Engine.WaitForCompletionAsync(arn).WaitAsync(WebhookReceiver.Wait);
        Assert.Equal(2, await BacklogAsync(server));

        time.Advance(pollInterval);
        Assert.Equal("RUNNING", (await receiver.NextAsync()).Status);
        Assert.Equal("SUCCEEDED", (await receiver.NextAsync()).Status);
        await server.Services.GetRequiredService<WebhookDeliverer>().WaitForCursorAsync("all", 2);

        Assert.Equal(0, await BacklogAsync(server));
    }

    private static async Task<long> BacklogAsync(DurablyTestServer server)
    {
        using HttpResponseMessage response = await server.Client.GetAsync("health");
        JsonElement health = await ApiAssert.JsonAsync(response);
        Assert.Equal("Healthy", health.GetProperty("Status").GetString());
        return health.GetProperty("OutboxBacklog").GetInt64();
    }
}
