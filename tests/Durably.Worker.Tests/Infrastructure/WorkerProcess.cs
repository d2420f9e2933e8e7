using System.Reflection;
using Durably.TestSupport;

namespace Durably.Worker.Tests.Infrastructure;

/// <summary>samples/RemoteWorker running in its own process on 127.0.0.1 (a port it binds itself), checkpointing through a given server.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private WorkerProcess(ChildProcess process) => _process = process;

    /// <summary>The worker's base URL, ending in <c>/</c>.</summary>
    public Uri Address => _process.Address;

    public int ProcessId => _process.ProcessId;

    /// <summary>What the worker printed so far.</summary>
    public string Output => _process.Output;

    /// <summary>Starts the worker and waits (bounded) until it listens.</summary>
    public static async Task<WorkerProcess> StartAsync(Uri server)
    {
        string dll = typeof(WorkerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "RemoteWorkerPath").Value!;
        return new WorkerProcess(await ChildProcess.StartAsync(dll, ["--Durably:Worker:ServerUrl", server.AbsoluteUri]));
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
