using System.Globalization;
using System.Text;
using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Npgsql;

namespace Durably.Postgres;

/// <summary>
/// An <see cref="IExecutionStore"/> on PostgreSQL that several nodes share (docs/postgres.md): every state change is one
/// transaction with a version check; due timers are claimed with <c>FOR UPDATE SKIP LOCKED</c> through the due-time
/// index; a change that makes an invocation due notifies the other nodes (LISTEN/NOTIFY); transient errors (a lost
/// connection, a restarting server) are retried, and a commit whose outcome was unknown is resolved by reading it back.
/// The schema is created or migrated by <see cref="OpenAsync"/>, under an advisory lock.
/// </summary>
public sealed class PostgresExecutionStore : IExecutionStore, ISharedExecutionStore, IAsyncDisposable, IDisposable
{
    private static readonly string InvokeKind = ((int)TimerKind.Invoke).ToString(CultureInfo.InvariantCulture);
    private static readonly string LeaseKind = ((int)TimerKind.InvocationLease).ToString(CultureInfo.InvariantCulture);

    private readonly PostgresStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly TransientErrors _transient;
    private readonly ExecutionWrites _writes;
    private readonly TimerListener _listener;
    private int _disposed;

    private PostgresExecutionStore(PostgresStoreOptions options, NpgsqlDataSource dataSource, string channel)
    {
        _options = options;
        _dataSource = dataSource;
        _transient = new TransientErrors(dataSource, options.TransientRetryLimit);
        _writes = new ExecutionWrites(dataSource, _transient, channel);
        _listener = new TimerListener(dataSource, channel);
    }

    /// <summary>Connects, creates or migrates the schema (one node at a time), and returns the store.</summary>
    /// <exception cref="InvalidOperationException">The database's schema is newer than this code.</exception>
    public static async Task<PostgresExecutionStore> OpenAsync(PostgresStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        NpgsqlDataSource dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        try
        {
            var transient = new TransientErrors(dataSource, options.TransientRetryLimit);
            string channel = await transient.RunAsync(async token =>
            {
                await PostgresSchema.MigrateAsync(dataSource, token).ConfigureAwait(false);
                using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
                using NpgsqlCommand schema = Sql.Command(connection, "SELECT current_schema()");
                return "durably_timers_" + (string)(await schema.ExecuteScalarAsync(token).ConfigureAwait(false))!;
            }, cancellationToken).ConfigureAwait(false);
            return new PostgresExecutionStore(options, dataSource, channel);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public TimeSpan PollInterval => _options.PollInterval;


    /// <inheritdoc />
    public IDisposable SubscribeTimerChanges(Action wake)
    {
        ArgumentNullException.ThrowIfNull(wake);
        return _listener.Subscribe(wake);
    }

    /// <inheritdoc />
    public Task<CreateExecutionResult> CreateExecutionAsync(ExecutionChange creation, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(creation);
        return _writes.CreateAsync(creation, now, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TryCommitAsync(ExecutionChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _writes.TryCommitAsync(change, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> PurgeExecutionAsync(string executionId, long expectedVersion, CancellationToken cancellationToken = default) =>
        _writes.PurgeAsync(executionId, expectedVersion, cancellationToken);

    /// <inheritdoc />
    /// <remarks>One statement, so the header and the operations belong to one commit.</remarks>
    public Task<ExecutionSnapshot?> LoadAsync(string executionId, IReadOnlyCollection<string> operationIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationIds);
        string[] ids = [.. operationIds];
        return RunAsync<ExecutionSnapshot?>(async (connection, token) =>
        {
            using NpgsqlCommand command = Sql.Command(connection, """
                SELECT 0, header, input_payload, last_checkpoint FROM executions WHERE execution_id = $1
                UNION ALL
                SELECT 1, record, NULL, NULL FROM operations WHERE execution_id = $1 AND operation_id = ANY($2)
                """, executionId, ids);
            using NpgsqlDataReader rows = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            ExecutionRecord? execution = null;
            var operations = new Dictionary<string, OperationRecord>(ids.Length, StringComparer.Ordinal);
            while (await rows.ReadAsync(token).ConfigureAwait(false))
            {
                if (rows.GetInt32(0) == 0)
                {
                    execution = StoredRows.Execution(rows, 1) with
                    {
                        LastCheckpoint = rows.IsDBNull(3) ? null : StoreJson.Read(rows.GetString(3), StoreJson.Replay),
                    };
                }
                else
                {
                    OperationRecord operation = StoreJson.Read(rows.GetString(1), StoreJson.Operation);
                    operations[operation.Operation.Id] = operation;
                }
            }

            return execution is null ? null : new ExecutionSnapshot(execution, operations);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<CallbackLocation?> FindCallbackAsync(string callbackId, CancellationToken cancellationToken = default) =>
        RunAsync<CallbackLocation?>(async (connection, token) =>
        {
            using NpgsqlCommand command = Sql.Command(connection, "SELECT execution_id, operation_id FROM callbacks WHERE callback_id = $1", callbackId);
            using NpgsqlDataReader row = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            return await row.ReadAsync(token).ConfigureAwait(false) ? new CallbackLocation(callbackId, row.GetString(0), row.GetString(1)) : null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<OperationRecord>> ReadOperationsAsync(string executionId, int afterSequence, int maxItems, CancellationToken cancellationToken = default) =>
        ListAsync("SELECT record FROM operations WHERE execution_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3",
            row => StoreJson.Read(row.GetString(0), StoreJson.Operation), cancellationToken, executionId, afterSequence, maxItems);

    /// <inheritdoc />
    public Task<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(string executionId, int fromEventId, int maxItems, bool descending, CancellationToken cancellationToken = default) =>
        ListAsync(descending
                ? "SELECT event FROM history_events WHERE execution_id = $1 AND event_id < $2 ORDER BY event_id DESC LIMIT $3"
                : "SELECT event FROM history_events WHERE execution_id = $1 AND event_id > $2 ORDER BY event_id LIMIT $3",
            row => StoreJson.Read(row.GetString(0), StoreJson.Event), cancellationToken, executionId, fromEventId, maxItems);

    /// <inheritdoc />
    public Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("SELECT header, input_payload FROM executions WHERE function_name = $1");
        var values = new List<object?> { query.FunctionName };
        string Next(object value)
        {
            values.Add(value);
            return "$" + values.Count.ToString(CultureInfo.InvariantCulture);
        }

        if (query.FunctionVersion is not null)
        {
            sql.Append(" AND function_version = ").Append(Next(query.FunctionVersion));
        }

        if (query.ExecutionName is not null)
        {
            sql.Append(" AND execution_name = ").Append(Next(query.ExecutionName));
        }

        if (query.ExecutionNamePrefix is { Length: > 0 } prefix)
        {
            // A range on the indexed (function_name, execution_name), which compare bytewise (COLLATE "C"): names are
            // ASCII, so the next string after every name with the prefix is the prefix with its last character incremented.
            sql.Append(" AND execution_name >= ").Append(Next(prefix)).Append(" AND execution_name < ").Append(Next(prefix[..^1] + (char)(prefix[^1] + 1)));
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            sql.Append(" AND status = ANY(").Append(Next(statuses.Select(status => (int)status).ToArray())).Append(')');
        }

        if (query.StartedAfter is { } after)
        {
            sql.Append(" AND start_time > ").Append(Next(StoredTime.From(after)));
        }

        if (query.StartedBefore is { } before)
        {
            sql.Append(" AND start_time < ").Append(Next(StoredTime.From(before)));
        }

        sql.Append(" ORDER BY start_time, execution_id");
        return ListAsync(sql.ToString(), row => StoredRows.Execution(row, 0), cancellationToken, [.. values]);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExecutionCount>> CountExecutionsAsync(string functionName, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        return ListAsync(string.Create(CultureInfo.InvariantCulture, $"""
                SELECT function_version, status, count(*) FROM executions
                WHERE function_name = $1 AND (end_time IS NULL OR end_time + retention_days * {TimeSpan.TicksPerDay}::bigint > $2)
                GROUP BY function_version, status
                """),
            row => new ExecutionCount(row.GetString(0), (ExecutionStatus)row.GetInt32(1), row.GetInt64(2)), cancellationToken, functionName, StoredTime.From(now));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TimerRecord>> GetDueTimersAsync(DateTimeOffset now, int maxItems, CancellationToken cancellationToken = default) =>
        ListAsync($"SELECT {StoredRows.TimerColumns} FROM timers WHERE due_at <= $1 ORDER BY due_at, execution_id, timer_key LIMIT $2",
            StoredRows.Timer, cancellationToken, StoredTime.From(now), maxItems);

    /// <inheritdoc />
    /// <remarks>
    /// Walks the due-time index from the earliest, skips the timers another node holds (SKIP LOCKED) and the invoke timers
    /// of versions this node does not host, and makes the claimed ones due <see cref="PostgresStoreOptions.TimerClaimDuration"/>
    /// later, all in one statement; they are returned with the due time they had.
    /// </remarks>
    public async Task<IReadOnlyList<TimerRecord>> ClaimDueTimersAsync(DueTimerClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        IReadOnlyList<TimerRecord> claimed = await ListAsync($"""
                WITH due AS (
                    SELECT t.execution_id, t.timer_key, t.due_at FROM timers t
                    WHERE t.due_at <= $1
                      AND (t.kind <> {InvokeKind} OR EXISTS (
                          SELECT 1 FROM executions e WHERE e.execution_id = t.execution_id AND e.function_name || ':' || e.function_version = ANY($3)))
                    ORDER BY t.due_at, t.execution_id, t.timer_key
                    LIMIT $2
                    FOR UPDATE OF t SKIP LOCKED)
                UPDATE timers t SET due_at = $4 FROM due
                WHERE t.execution_id = due.execution_id AND t.timer_key = due.timer_key
                RETURNING t.execution_id, t.timer_key, t.kind, due.due_at, t.operation_id, t.tag
                """, StoredRows.Timer, cancellationToken, StoredTime.From(claim.Now), claim.MaxItems, claim.HostedVersions.ToArray(),
            StoredTime.From(claim.Now + _options.TimerClaimDuration)).ConfigureAwait(false);
        return [.. claimed.OrderBy(timer => timer.DueAt).ThenBy(timer => timer.ExecutionId, StringComparer.Ordinal).ThenBy(timer => timer.Key, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public Task<DateTimeOffset?> GetNextDueTimeAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async (connection, token) =>
        {
            using NpgsqlCommand command = Sql.Command(connection, "SELECT min(due_at) FROM timers");
            return await command.ExecuteScalarAsync(token).ConfigureAwait(false) is long ticks ? StoredTime.ToTime(ticks) : (DateTimeOffset?)null;
        }, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Only for a store one engine owns: with several nodes it would abandon the others' running invocations (docs/operations.md).</remarks>
    public Task<int> ExpireInvocationLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"UPDATE timers SET due_at = $1 WHERE kind = {LeaseKind} AND due_at > $1", cancellationToken, StoredTime.From(now));

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(long afterPosition, int maxItems, CancellationToken cancellationToken = default) =>
        ListAsync("SELECT position, event FROM outbox WHERE position > $1 ORDER BY position LIMIT $2",
            row => new OutboxEntry(row.GetInt64(0), StoreJson.Read(row.GetString(1), StoreJson.StatusEvent)), cancellationToken, afterPosition, maxItems);

    /// <inheritdoc />
    public Task<long> GetOutboxEndAsync(CancellationToken cancellationToken = default) =>
        ScalarAsync("SELECT coalesce(max(position), 0) FROM outbox", cancellationToken);

    /// <inheritdoc />
    public Task<long> GetOutboxCursorAsync(string consumer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        return ScalarAsync("SELECT coalesce((SELECT position FROM outbox_cursors WHERE consumer = $1), 0)", cancellationToken, consumer);
    }

    /// <inheritdoc />
    public Task SetOutboxCursorAsync(string consumer, long position, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        return ExecuteAsync("""
            INSERT INTO outbox_cursors (consumer, position) VALUES ($1, $2)
            ON CONFLICT (consumer) DO UPDATE SET position = greatest(outbox_cursors.position, excluded.position)
            """, cancellationToken, consumer, position);
    }

    /// <inheritdoc />
    public Task AddDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        return ExecuteAsync("""
            INSERT INTO outbox_dead_letters (consumer, position, attempts, last_error, failed_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (consumer, position) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error, failed_at = excluded.failed_at
            """, cancellationToken, deadLetter.Consumer, deadLetter.Position, deadLetter.Attempts, deadLetter.LastError, StoredTime.From(deadLetter.FailedAt));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(string consumer, int maxItems, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        return ListAsync("SELECT position, attempts, last_error, failed_at FROM outbox_dead_letters WHERE consumer = $1 ORDER BY position LIMIT $2",
            row => new DeadLetter(consumer, row.GetInt64(0), row.GetInt32(1), row.GetString(2), StoredTime.ToTime(row.GetInt64(3))), cancellationToken, consumer, maxItems);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveDeadLetterAsync(string consumer, long position, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        return await ExecuteAsync("DELETE FROM outbox_dead_letters WHERE consumer = $1 AND position = $2", cancellationToken, consumer, position).ConfigureAwait(false) == 1;
    }

    /// <summary>Stops listening and closes every connection; only the first call does anything (a container may dispose the store under each service it is registered as).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc cref="DisposeAsync" />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="query"/> on a pooled connection, through transient errors; the registration and subscription stores share it.</summary>
    internal Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> query, CancellationToken cancellationToken) =>
        _transient.RunAsync(async token =>
        {
            using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
            return await query(connection, token).ConfigureAwait(false);
        }, cancellationToken);

    private Task<IReadOnlyList<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object?[] values) =>
        RunAsync(async (connection, token) =>
        {
            using NpgsqlCommand command = Sql.Command(connection, sql, values);
            return await Sql.ListAsync(command, read, token).ConfigureAwait(false);
        }, cancellationToken);

    private Task<long> ScalarAsync(string sql, CancellationToken cancellationToken, params object?[] values) =>
        RunAsync(async (connection, token) =>
        {
            using NpgsqlCommand command = Sql.Command(connection, sql, values);
            return (long)(await command.ExecuteScalarAsync(token).ConfigureAwait(false))!;
        }, cancellationToken);

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] values) =>
        RunAsync((connection, token) => Sql.ExecuteAsync(connection, sql, token, values), cancellationToken);
}
