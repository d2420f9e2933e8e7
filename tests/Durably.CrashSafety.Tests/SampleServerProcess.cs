using Durably.TestSupport;

namespace Durably.CrashSafety.Tests;

/// <summary>
/// The sample server (samples/OrderProcessing) as a child process, on one SQLite file or on PostgreSQL (its command-line
/// <paramref name="arguments"/>), killed with SIGKILL. The first start binds a port of its own choosing; restarts bind the
/// same one again, as a real server restarting on its address.
/// </summary>
internal sealed class SampleServerProcess(IReadOnlyList<string> arguments) : IDisposable
{
    private ChildProcess? _process;
    private Uri? _address;

    /// <summary>The server on the SQLite file <paramref name="databasePath"/>, journaling the crash-test workload to <paramref name="journalPath"/>.</summary>
    public SampleServerProcess(string databasePath, string journalPath)
        : this(["--db", databasePath, "--side-effects", journalPath])
    {
    }

    /// <summary>The server's address, known once it first started.</summary>
    public Uri BaseAddress => _address ?? throw new InvalidOperationException("The sample server has not started yet.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "OrderProcessing.dll");
        string urls = _address?.ToString().TrimEnd('/') ?? "http://127.0.0.1:0";
        _process = await ChildProcess.StartAsync(dll, arguments, urls, cancellationToken);
        _address = _process.Address;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public void Kill()
    {
        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();
}
