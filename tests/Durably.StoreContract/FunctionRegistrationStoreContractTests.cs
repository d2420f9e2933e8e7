using Durably.Engine;
using Durably.Engine.Storage;
using Xunit;

namespace Durably.StoreContract;

/// <summary>
/// The behaviour every <see cref="IFunctionRegistrationStore"/> must have. A store's test project subclasses this and
/// supplies <see cref="OpenStore"/>; every read here goes through a store opened after the writes, so a persistent
/// store proves that what it saved is in its storage, not only in the instance that saved it.
/// </summary>
public abstract class FunctionRegistrationStoreContractTests
{
    /// <summary>Opens the store under test; a store opened later sees everything saved through earlier ones.</summary>
    protected abstract IFunctionRegistrationStore OpenStore();

    [Fact]
    public async Task LoadAll_NothingSaved_IsEmpty()
    {
        Assert.Empty(await OpenStore().LoadAllAsync());
    }

    [Fact]
    public async Task Save_ThenLoadAll_ReturnsEveryFieldAsSaved()
    {
        HttpFunctionRegistration registration = new("remote", "7", new Uri("http://127.0.0.1:5090/remote?x=1"),
            TimeSpan.FromSeconds(3601.5), 30, TimeSpan.FromMilliseconds(61_250));

        await OpenStore().SaveAsync(registration);

        Assert.Equal(registration, Assert.Single(await OpenStore().LoadAllAsync()));
    }

    [Fact]
    public async Task LoadAll_ReturnsRegistrationsInTheOrderSaved_VersionsOfOneNameApart()
    {
        IFunctionRegistrationStore store = OpenStore();
        await store.SaveAsync(Sample("b", "2"));
        await store.SaveAsync(Sample("a", "1"));
        await store.SaveAsync(Sample("b", "1"));

        IReadOnlyList<HttpFunctionRegistration> loaded = await OpenStore().LoadAllAsync();

        Assert.Equal(["b:2", "a:1", "b:1"], loaded.Select(Key));
    }

    [Fact]
    public async Task Save_SameNameAndVersion_ReplacesItAndMovesItLast()
    {
        IFunctionRegistrationStore store = OpenStore();
        await store.SaveAsync(Sample("a", "1"));
        await store.SaveAsync(Sample("b", "1"));
        HttpFunctionRegistration replacement = Sample("a", "1", "http://127.0.0.1:2/moved") with { RetentionPeriodInDays = 90 };

        await store.SaveAsync(replacement);

        IReadOnlyList<HttpFunctionRegistration> loaded = await OpenStore().LoadAllAsync();
        Assert.Equal(["b:1", "a:1"], loaded.Select(Key));
        Assert.Equal(replacement, loaded[^1]);
    }

    [Fact]
    public async Task Remove_DeletesOnlyThatVersion_AndIsFalseWhenNothingIsSaved()
    {
        IFunctionRegistrationStore store = OpenStore();
        await store.SaveAsync(Sample("a", "1"));
        await store.SaveAsync(Sample("a", "2"));

        Assert.True(await store.RemoveAsync("a", "2"));
        Assert.False(await store.RemoveAsync("a", "2"));
        Assert.False(await store.RemoveAsync("a", "3"));
        Assert.False(await store.RemoveAsync("other", "1"));

        Assert.Equal(["a:1"], (await OpenStore().LoadAllAsync()).Select(Key));
    }

    [Fact]
    public async Task Remove_ThenSaveAgain_RegistersItLast()
    {
        IFunctionRegistrationStore store = OpenStore();
        await store.SaveAsync(Sample("a", "1"));
        await store.SaveAsync(Sample("b", "1"));
        await store.RemoveAsync("a", "1");

        await store.SaveAsync(Sample("a", "1"));

        Assert.Equal(["b:1", "a:1"], (await OpenStore().LoadAllAsync()).Select(Key));
    }

    [Fact]
    public async Task CancelledWrites_Throw_AndChangeNothing()
    {
        IFunctionRegistrationStore store = OpenStore();
        await store.SaveAsync(Sample("a", "1"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveAsync(Sample("b", "1"), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.RemoveAsync("a", "1", cancelled.Token));

        Assert.Equal(["a:1"], (await OpenStore().LoadAllAsync()).Select(Key));
    }

    private static HttpFunctionRegistration Sample(string name, string version, string url = "http://127.0.0.1:1/fn") =>
        new(name, version, new Uri(url), TimeSpan.FromDays(1), 14, TimeSpan.FromMinutes(15));

    private static string Key(HttpFunctionRegistration registration) => $"{registration.Name}:{registration.Version}";
}
