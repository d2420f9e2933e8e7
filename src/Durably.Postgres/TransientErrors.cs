using System.Net.Sockets;
using Npgsql;

namespace Durably.Postgres;

/// <summary>
/// Runs store calls through the errors a shared database has now and then: a lost connection, a server restarting
/// (57P01 admin shutdown, 57P03 cannot connect now), a deadlock or serialization failure. Each is retried, with a growing
/// pause, until <see cref="PostgresStoreOptions.TransientRetryLimit"/>; every other error goes to the caller at once.
/// </summary>
internal sealed class TransientErrors(NpgsqlDataSource dataSource, TimeSpan limit)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or transient errors outlast the limit.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        TimeSpan pause = FirstPause;
        long started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsTransient(exception) && TimeProvider.System.GetElapsedTime(started) < limit)
            {
                // Pooled connections to a restarted server are all dead: drop the idle ones rather than meet them one by one.
                dataSource.Clear();
                await Task.Delay(pause, TimeProvider.System, cancellationToken).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    /// <summary>True for the errors after which the same call can succeed: nothing was wrong with the call itself.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.IsTransient || postgres.SqlState is "57P01" or "57P02" or "57P03" || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or SocketException or TimeoutException,
        IOException or SocketException => true,
        _ => false,
    };
}
