using Durably.Engine.Storage;

namespace Durably.Engine.Tests;

/// <summary>Subscriptions added and removed while the deliverer runs, kept in an <see cref="IEventSubscriptionStore"/>.</summary>
public sealed class RuntimeEventSubscriptionTests
{
    private static readonly EventPattern All = EventPattern.Parse("""{"source":["durably"]}""");

    [Fact]
    public async Task Added_ReceivesOnlyEventsWrittenAfterIt_IsSaved_AndCanBeRemoved()
    {
        await using var harness = new EngineHarness();
        harness.Register(_ => Task.FromResult(EngineHarness.Succeeded()));
        await harness.StartAsync(name: "before");
        var saved = new InMemoryEventSubscriptionStore();
        await using var receiver = await WebhookReceiver.StartAsync(_ => 204);
        var options = new EventDeliveryOptions { PollInterval = TimeSpan.FromMilliseconds(20) };
        await using var deliverer = new WebhookDeliverer(harness.Store, [Subscription("in-code", new Uri("http://127.0.0.1:9/"))], options, TimeProvider.System, saved);
        await deliverer.StartAsync();

        Assert.False(await deliverer.AddAsync(Subscription("late", receiver.Url)));
        string after = await harness.StartAsync(name: "after");

        WebhookRequest first = await receiver.NextAsync();
        WebhookRequest second = await receiver.NextAsync();
        Assert.Equal([(after, "RUNNING"), (after, "SUCCEEDED")], new[] { first, second }.Select(r => (r.Arn, r.Status)));
        Assert.Equal(["late"], (await saved.LoadAllAsync()).Select(s => s.Name));
        Assert.Equal(["in-code", "late"], deliverer.Subscriptions.Select(s => s.Name));
        InvalidOperationException inCode = await Assert.ThrowsAsync<InvalidOperationException>(() => deliverer.RemoveAsync("in-code"));
        Assert.Equal("The event subscription 'in-code' is registered in code; it cannot be replaced or removed at run time.", inCode.Message);

        await using var restarted = new WebhookDeliverer(harness.Store, [], options, TimeProvider.System, saved);
        await restarted.StartAsync();
        Assert.Equal(["late"], restarted.Subscriptions.Select(s => s.Name));
        await restarted.StopAsync();

        Assert.True(await deliverer.RemoveAsync("late"));
        Assert.False(await deliverer.RemoveAsync("late"));
        Assert.Empty(await saved.LoadAllAsync());
        Assert.Equal(["in-code"], deliverer.Subscriptions.Select(s => s.Name));
    }

    private static EventSubscription Subscription(string name, Uri url) => new() { Name = name, Url = url, Pattern = All, Secret = "a-webhook-secret-of-32-characters!" };
}
