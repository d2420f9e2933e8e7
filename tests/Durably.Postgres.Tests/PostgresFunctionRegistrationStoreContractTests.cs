using Durably.Engine;
using Durably.Engine.Storage;
using Durably.StoreContract;

namespace Durably.Postgres.Tests;

/// <summary>The registration store contract on the test server: every open a new store (and pool) on the same schema.</summary>
public sealed class PostgresFunctionRegistrationStoreContractTests : FunctionRegistrationStoreContractTests, IAsyncLifetime
{
    private readonly TempPostgresSchema _schema = new();
    private readonly List<PostgresExecutionStore> _stores = [];

    protected override IFunctionRegistrationStore OpenStore()
    {
        PostgresExecutionStore store = PostgresExecutionStore.OpenAsync(new PostgresStoreOptions { ConnectionString = _schema.ConnectionString }).GetAwaiter().GetResult();
        _stores.Add(store);
        return new PostgresFunctionRegistrationStore(store);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (PostgresExecutionStore store in _stores)
        {
            await store.DisposeAsync();
        }

        await _schema.DropAsync();
    }
}
