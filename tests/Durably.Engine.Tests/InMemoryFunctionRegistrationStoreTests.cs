using Durably.Engine.Storage;
using Durably.StoreContract;

namespace Durably.Engine.Tests;

public sealed class InMemoryFunctionRegistrationStoreTests : FunctionRegistrationStoreContractTests
{
    private readonly InMemoryFunctionRegistrationStore _store = new();

    // One instance is the whole store: every open sees what the others saved.
    protected override IFunctionRegistrationStore OpenStore() => _store;
}
