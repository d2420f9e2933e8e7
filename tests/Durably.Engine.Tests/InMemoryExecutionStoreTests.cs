using Durably.Engine.Storage;
using Durably.StoreContract;

namespace Durably.Engine.Tests;

public sealed class InMemoryExecutionStoreTests : ExecutionStoreContractTests
{
    protected override Task<IExecutionStore> CreateStoreAsync(TimeProvider time) => Task.FromResult<IExecutionStore>(new InMemoryExecutionStore());
}
