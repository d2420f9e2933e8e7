using Durably.Engine;
using Durably.Engine.Storage;
using Durably.StoreContract;

namespace Durably.Postgres.Tests;

/// <summary>The store contract on the test server, a schema of its own per test.</summary>
public sealed class PostgresExecutionStoreContractTests : ExecutionStoreContractTests
{
    private readonly TempPostgresSchema _schema = new();

    protected override async Task<IExecutionStore> CreateStoreAsync(TimeProvider time) =>
        await PostgresExecutionStore.OpenAsync(new PostgresStoreOptions { ConnectionString = _schema.ConnectionString });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _schema.DropAsync();
    }
}
