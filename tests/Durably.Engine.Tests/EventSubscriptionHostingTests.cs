using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Durably.Engine.Tests;

/// <summary><c>AddEventSubscription</c> on the Durably builder: checked at registration, run as a hosted service.</summary>
public sealed class EventSubscriptionHostingTests
{
    private const string Secret = "a-webhook-secret-of-32-characters!";
    private static readonly Uri Url = new("http://127.0.0.1:9/hook");

    [Fact]
    public async Task AddEventSubscription_RegistersTheSubscriptionAndItsDeliveryService()
    {
        var services = new ServiceCollection();
        services.AddDurably().UseInMemoryStore()
            .AddEventSubscription("failures", Url, """{"detail":{"status":["FAILED"]}}""", Secret)
            .AddEventSubscription("all", Url, """{"source":["durably"]}""", Secret)
            .ConfigureEventDelivery(options => options.MaxAttempts = 2);
        await using ServiceProvider provider = services.BuildServiceProvider();

        WebhookDeliverer deliverer = provider.GetRequiredService<WebhookDeliverer>();
        IHostedService[] hosted = [.. provider.GetServices<IHostedService>()];
        foreach (IHostedService service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        foreach (IHostedService service in hosted.Reverse())
        {
            await service.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(["all", "failures"], deliverer.Subscriptions.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Single(hosted);
        Assert.Equal(2, provider.GetRequiredService<EventDeliveryOptions>().MaxAttempts);
    }

    [Theory]
    [InlineData("hook", "http://127.0.0.1:9/hook", """{"source":"durably"}""", "Event pattern field 'source'")]
    [InlineData("hook", "ftp://127.0.0.1/hook", """{"source":["durably"]}""", "must be an absolute http:// or https:// URL")]
    [InlineData("taken", "http://127.0.0.1:9/hook", """{"source":["durably"]}""", "An event subscription named 'taken' is already registered.")]
    public void AddEventSubscription_BadRegistration_SaysWhatIsWrong(string name, string url, string pattern, string expected)
    {
        IDurablyBuilder builder = new ServiceCollection().AddDurably().UseInMemoryStore().AddEventSubscription("taken", Url, """{"source":["durably"]}""", Secret);

        Exception error = Assert.ThrowsAny<Exception>(() => builder.AddEventSubscription(name, new Uri(url), pattern, Secret));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigureEventDelivery_OutOfRange_SaysWhichOption()
    {
        IDurablyBuilder builder = new ServiceCollection().AddDurably().UseInMemoryStore();

        ArgumentOutOfRangeException attempts = Assert.Throws<ArgumentOutOfRangeException>(() => builder.ConfigureEventDelivery(options => options.MaxAttempts = 0));
        ArgumentOutOfRangeException timeout = Assert.Throws<ArgumentOutOfRangeException>(() => builder.ConfigureEventDelivery(options => options.AttemptTimeout = TimeSpan.Zero));

        Assert.Equal("MaxAttempts", attempts.ParamName);
        Assert.Equal("AttemptTimeout", timeout.ParamName);
    }
}
