using Durably.Engine;
using Durably.Engine.Storage;
using Durably.StoreContract;

namespace Durably.Sqlite.Tests;

/// <summary>
/// The registration store contract on a real file, every open a new instance on it, while the execution store holds
/// the same file open (its writer, readers and checkpointer), as under <c>UseSqlite</c>.
/// </summary>
public sealed class SqliteFunctionRegistrationStoreContractTests : FunctionRegistrationStoreContractTests, IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly SqliteExecutionStore _executions;

    public SqliteFunctionRegistrationStoreContractTests() => _executions = _database.Open();

    protected override IFunctionRegistrationStore OpenStore() => new SqliteFunctionRegistrationStore(_database.Options());

    public void Dispose()
    {
        _executions.Dispose();
        _database.Delete();
    }
}
