using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Sqlite;

/// <summary>
/// An <see cref="IExecutionStore"/> on one SQLite file (ARCHITECTURE.md §5): write-ahead log, a full sync per commit by
/// default, one writer thread that commits every queued write together (group commit), readers on their own
/// connections. A write's task completes only once its commit is durable. The schema is created or migrated when
/// the store opens. One process owns the file.
/// </summary>
public sealed class SqliteExecutionStore : IExecutionStore, IDisposable, IAsyncDisposable
{
    private readonly Microsoft.Data.Sqlite.SqliteConnection _writerConnection;
    private readonly SqliteWriter _writer;
    private readonly WalCheckpointer _checkpointer;
    private readonly ReaderPool _readers;

    /// <summary>Opens (creating if needed) the database file of <paramref name="connectionString"/> with default options.</summary>
    public SqliteExecutionStore(string connectionString)
        : this(new SqliteStoreOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>Opens (creating if needed) the database file and brings its schema to the current version.</summary>
    /// <exception cref="InvalidOperationException">The file's schema is newer than this code.</exception>
    public SqliteExecutionStore(SqliteStoreOptions options)
    {
        var connections = new SqliteConnections(options);
        Microsoft.Data.Sqlite.SqliteConnection writerConnection = connections.OpenWriter();
        ChangeWriter changes;
        try
        {
            SqliteSchema.Migrate(writerConnection, SqliteSchema.Migrations);
            changes = new ChangeWriter(writerConnection);
        }
        catch
        {
            writerConnection.Dispose();
            throw;
        }

        _writerConnection = writerConnection;
        _checkpointer = new WalCheckpointer(connections.OpenSideWriter());
        _writer = new SqliteWriter(changes, options.MaxBatchSize, _checkpointer.Committed);
        _readers = new ReaderPool(connections);
    }

    /// <summary>The connections that write to the file: the writer's and the checkpointer's (tests read their pragmas).</summary>
    internal IReadOnlyList<Microsoft.Data.Sqlite.SqliteConnection> WritingConnections => [_writerConnection, _checkpointer.Connection];

    /// <inheritdoc />
    public Task<CreateExecutionResult> CreateExecutionAsync(ExecutionChange creation, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(creation);
        cancellationToken.ThrowIfCancellationRequested();
        var encoded = new EncodedChange(creation);
        return _writer.WriteAsync(changes => changes.CreateExecution(encoded, now));
    }

    /// <inheritdoc />
    public Task<ExecutionSnapshot?> LoadAsync(string executionId, IReadOnlyCollection<string> operationIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationIds);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.Read(reader => reader.Load(executionId, operationIds)));
    }

    /// <inheritdoc />
    public Task<bool> TryCommitAsync(ExecutionChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        cancellationToken.ThrowIfCancellationRequested();
        var encoded = new EncodedChange(change);
        return _writer.WriteAsync(changes => changes.TryCommit(encoded));
    }

    /// <inheritdoc />
    public Task<bool> PurgeExecutionAsync(string executionId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.WriteAsync(changes => changes.PurgeExecution(executionId, expectedVersion));
    }

    /// <inheritdoc />
    public Task<CallbackLocation?> FindCallbackAsync(string callbackId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.Read(reader => reader.FindCallback(callbackId)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OperationRecord>> ReadOperationsAsync(string executionId, int afterSequence, int maxItems, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.Read(reader => reader.ReadOperations(executionId, afterSequence, maxItems)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string executionId, int fromEventId, int maxItems, bool descending, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.Read(reader => reader.ReadHistory(executionId, fromEventId, maxItems, descending)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.Read(reader => reader.ListExecutions(query)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExecutionCount>> CountExecutionsAsync(string functionName, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.Read(reader => reader.CountExecutions(functionName, now)));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TimerRecord>> GetDueTimersAsync(DateTimeOffset now, int maxItems, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.Read(reader => reader.GetDueTimers(now, maxItems)));
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.Read(reader => reader.GetNextDueTime()));
    }

    /// <inheritdoc />
    public Task<int> ExpireInvocationLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.WriteAsync(changes => changes.ExpireInvocationLeases(now));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterPosition, int maxItems, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.Read(reader => reader.ReadOutbox(afterPosition, maxItems)));
    }

    /// <inheritdoc />
    public Task<long> GetOutboxEndAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.Read(reader => reader.GetOutboxEnd()));
    }

    /// <inheritdoc />
    public Task<long> GetOutboxCursorAsync(string consumer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.Read(reader => reader.GetOutboxCursor(consumer)));
    }

    /// <inheritdoc />
    public Task SetOutboxCursorAsync(string consumer, long position, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.WriteAsync(changes => changes.SaveOutboxCursor(consumer, position));
    }

    /// <inheritdoc />
    public Task AddDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.WriteAsync(changes => changes.AddDeadLetter(deadLetter));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(string consumer, int maxItems, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_readers.Read(reader => reader.ReadDeadLetters(consumer, maxItems)));
    }

    /// <inheritdoc />
    public Task<bool> RemoveDeadLetterAsync(string consumer, long position, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.WriteAsync(changes => changes.RemoveDeadLetter(consumer, position));
    }

    /// <summary>Commits what is queued, then closes every connection.</summary>
    public void Dispose()
    {
        _writer.Dispose();
        _checkpointer.Dispose();
        _readers.Dispose();
    }

    /// <inheritdoc cref="Dispose" />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
