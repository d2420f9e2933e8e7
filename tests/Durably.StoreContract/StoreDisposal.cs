using Durably.Engine;
using Durably.Engine.Storage;

namespace Durably.StoreContract;

/// <summary>Closes a store under test, whichever dispose pattern it implements.</summary>
public static class StoreDisposal
{
    public static async Task DisposeAsync(IExecutionStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
