using Durably.Engine;
using Durably.Engine.Storage;
using Durably.StoreContract;

namespace Durably.Sqlite.Tests;

/// <summary>The store contract on a real file per test.</summary>
public sealed class SqliteExecutionStoreContractTests : ExecutionStoreContractTests
{
    private readonly TempDatabase _database = new();

    protected override Task<IExecutionStore> CreateStoreAsync(TimeProvider time) => Task.FromResult<IExecutionStore>(_database.Open());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _database.Delete();
    }
}
