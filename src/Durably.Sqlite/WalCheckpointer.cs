using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Durably.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database file on its own thread and connection, so commits never pay for
/// it. SQLite's automatic checkpoint runs inside the commit that crosses 1,000 log pages: that commit then copies
/// every page and syncs the database file, a stall of several milliseconds for whichever execution drew it (and for
/// everything queued behind the writer). Here the writer connection has autocheckpoint off and this thread runs a
/// PASSIVE checkpoint (it never blocks the writer or readers) after every <see cref="CommitsPerCheckpoint"/>
/// commits. Under steady load that alone never catches up (the writer appends while it copies), and SQLite starts
/// the log over only after a checkpoint that copied everything, so the log would grow without end. So after each
/// background run the writer is asked, through <see cref="Committed"/>, to checkpoint the tail itself between two
/// transactions: a few pages and one sync, after which its next transaction starts the log over. Durability does
/// not change: a commit is durable in the log, and a checkpoint syncs the database file before SQLite marks the
/// log pages as copied.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>About 1,000 log pages at ~8 pages per step commit: the size SQLite's own autocheckpoint keeps.</summary>
    public const int CommitsPerCheckpoint = 128;

    private readonly SqliteConnection _connection;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private int _commitsSinceCheckpoint;
    private bool _due;
    private int _tailDue;
    private bool _closed;
    private long _checkpoints;

    public WalCheckpointer(SqliteConnection connection)
    {
        _connection = connection;
        _thread = new Thread(Run) { IsBackground = true, Name = "Durably.Sqlite checkpointer" };
        _thread.Start();
    }

    /// <summary>The checkpointer's own connection.</summary>
    public SqliteConnection Connection => _connection;

    /// <summary>Checkpoints run so far.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>
    /// Counts a commit (cheap enough for every one); every <see cref="CommitsPerCheckpoint"/>th wakes the thread.
    /// </summary>
    /// <returns>True when the writer should now checkpoint the tail the last background run left (<see cref="CheckpointTail"/>).</returns>
    public bool Committed()
    {
        if (Interlocked.Increment(ref _commitsSinceCheckpoint) % CommitsPerCheckpoint == 0)
        {
            lock (_gate)
            {
                _due = true;
                Monitor.Pulse(_gate);
            }
        }

        return Interlocked.Exchange(ref _tailDue, 0) == 1;
    }

    /// <summary>The writer's part: a PASSIVE checkpoint on its own connection, outside any transaction.</summary>
    public static void CheckpointTail(SqliteConnection writer) =>
        _ = raw.sqlite3_wal_checkpoint_v2(writer.Handle, null, raw.SQLITE_CHECKPOINT_PASSIVE, out _, out _);

    /// <summary>Stops the thread after the checkpoint in progress and closes the connection.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.Pulse(_gate);
        }

        _thread.Join();
        _connection.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            lock (_gate)
            {
                while (!_due && !_closed)
                {
                    Monitor.Wait(_gate);
                }

                if (_closed)
                {
                    return;
                }

                _due = false;
            }

            // PASSIVE copies what no reader still needs and returns; a busy or failed attempt is retried next time.
            _ = raw.sqlite3_wal_checkpoint_v2(_connection.Handle, null, raw.SQLITE_CHECKPOINT_PASSIVE, out _, out _);
            Interlocked.Increment(ref _checkpoints);
            Volatile.Write(ref _tailDue, 1);
        }
    }
}
