using System.Collections.Concurrent;

namespace Durably.Sqlite;

/// <summary>Reader connections, opened on demand and reused; the write-ahead log lets them read while the writer writes.</summary>
internal sealed class ReaderPool(SqliteConnections connections) : IDisposable
{
    private readonly ConcurrentBag<StoreReader> _idle = [];
    private volatile bool _disposed;

    public T Read<T>(Func<StoreReader, T> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        StoreReader reader = _idle.TryTake(out StoreReader? idle) ? idle : new StoreReader(connections.OpenReader());
        bool healthy = false;
        try
        {
            T result = read(reader);
            healthy = true;
            return result;
        }
        finally
        {
            if (healthy)
            {
                _idle.Add(reader);
                if (_disposed)
                {
                    DisposeIdle();
                }
            }
            else
            {
                reader.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        DisposeIdle();
    }

    private void DisposeIdle()
    {
        while (_idle.TryTake(out StoreReader? reader))
        {
            reader.Dispose();
        }
    }
}
