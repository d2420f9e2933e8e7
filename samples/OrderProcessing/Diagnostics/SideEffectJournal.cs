using System.Globalization;

namespace OrderProcessing.Diagnostics;

/// <summary>
/// An append-only file of side effects, one line each (<c>id|event|attempt|utc ticks</c>). Each line is
/// written and flushed to the operating system before the call returns, so a SIGKILL of the
/// process cannot lose it (the page cache outlives the process). The time orders the lines of several
/// processes' journals (the multi-node test gives each node its own file) on one machine's clock.
/// </summary>
public sealed class SideEffectJournal(string path)
{
    private readonly Lock _lock = new();

    public void Append(string id, string what, int attempt = 0)
    {
        string line = string.Create(CultureInfo.InvariantCulture, $"{id}|{what}|{attempt}|{TimeProvider.System.GetUtcNow().UtcTicks}\n");
        lock (_lock)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(line));
        }
    }

    /// <summary><see cref="Append"/> shaped as a step body.</summary>
    public Task Record(string id, string what, int attempt = 0)
    {
        Append(id, what, attempt);
        return Task.CompletedTask;
    }
}
