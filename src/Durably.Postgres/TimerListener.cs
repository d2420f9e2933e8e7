using Npgsql;

namespace Durably.Postgres;

/// <summary>
/// LISTENs on the store's channel on a connection of its own and calls every subscriber when a notification arrives:
/// another node (or this one) committed a change that made an invocation due. After a lost connection it listens again
/// and calls the subscribers once, since notifications sent meanwhile are gone.
/// </summary>
internal sealed class TimerListener(NpgsqlDataSource dataSource, string channel) : IAsyncDisposable
{
    private static readonly TimeSpan ReconnectPause = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private Action[] _subscribers = [];
    private Task? _loop;

    public IDisposable Subscribe(Action wake)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers, wake];
            _loop ??= Task.Run(() => ListenAsync(_stopping.Token));
        }

        return new Subscription(this, wake);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private void Unsubscribe(Action wake)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(subscriber => subscriber != wake)];
        }
    }

    private void Notify()
    {
        foreach (Action subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber();
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
                connection.Notification += (_, _) => Notify();
                await Sql.ExecuteAsync(connection, $"LISTEN \"{channel}\"", stopping).ConfigureAwait(false);
                Notify();
                while (true)
                {
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Listening must survive a lost connection or a restarting server: listen again.
            catch (Exception)
#pragma warning restore CA1031
            {
                try
                {
                    await Task.Delay(ReconnectPause, TimeProvider.System, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private sealed class Subscription(TimerListener listener, Action wake) : IDisposable
    {
        public void Dispose() => listener.Unsubscribe(wake);
    }
}
