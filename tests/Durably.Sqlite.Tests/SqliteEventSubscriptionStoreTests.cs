using Durably.Engine;

namespace Durably.Sqlite.Tests;

public sealed class SqliteEventSubscriptionStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Delete();

    [Fact]
    public async Task Subscriptions_AreSavedReplacedAndRemoved_AndSurviveReopening()
    {
        var store = new SqliteEventSubscriptionStore(_database.Options());
        await store.SaveAsync(Subscription("b", "http://127.0.0.1:1/b", """{"source":["durably"]}"""));
        await store.SaveAsync(Subscription("a", "http://127.0.0.1:1/a", """{"detail":{"status":["FAILED"]}}"""));
        await store.SaveAsync(Subscription("b", "http://127.0.0.1:1/b2", """{"detail":{"status":["SUCCEEDED"]}}"""));

        IReadOnlyList<EventSubscription> reopened = await new SqliteEventSubscriptionStore(_database.Options()).LoadAllAsync();

        Assert.Equal(["a", "b"], reopened.Select(s => s.Name));
        Assert.Equal(("http://127.0.0.1:1/b2", """{"detail":{"status":["SUCCEEDED"]}}""", "secret-b"), (reopened[1].Url.AbsoluteUri, reopened[1].Pattern.Json, reopened[1].Secret));
        Assert.True(await store.RemoveAsync("a"));
        Assert.False(await store.RemoveAsync("a"));
        Assert.Equal(["b"], (await new SqliteEventSubscriptionStore(_database.Options()).LoadAllAsync()).Select(s => s.Name));
    }

    private static EventSubscription Subscription(string name, string url, string pattern) =>
        new() { Name = name, Url = new Uri(url), Pattern = EventPattern.Parse(pattern), Secret = $"secret-{name}" };
}
