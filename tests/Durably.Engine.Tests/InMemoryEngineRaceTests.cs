using Durably.Engine.Storage;
using Durably.StoreContract;

namespace Durably.Engine.Tests;

/// <summary>The engine's races on the in-memory store.</summary>
public sealed class InMemoryEngineRaceTests : EngineRaceTests
{
    protected override Task<IExecutionStore> CreateStoreAsync(TimeProvider time) => Task.FromResult<IExecutionStore>(new InMemoryExecutionStore());
}
