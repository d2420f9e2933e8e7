using System.Globalization;
using System.Text;
using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Data.Sqlite;

namespace Durably.Sqlite;

/// <summary>One reader connection with its prepared queries. A reader sees the last commit (write-ahead log), never a half-written one.</summary>
internal sealed class StoreReader : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly PreparedStatement _begin;
    private readonly PreparedStatement _end;
    private readonly PreparedStatement _header;
    private readonly PreparedStatement _operation;
    private readonly PreparedStatement _operationsAfter;
    private readonly PreparedStatement _historyForward;
    private readonly PreparedStatement _historyBackward;
    private readonly PreparedStatement _dueTimers;
    private readonly PreparedStatement _nextDueTime;
    private readonly PreparedStatement _callback;
    private readonly PreparedStatement _countExecutions;
    private readonly PreparedStatement _outboxAfter;
    private readonly PreparedStatement _outboxCursor;
    private readonly PreparedStatement _deadLetters;
    private readonly PreparedStatement _outboxEnd;

    public StoreReader(SqliteConnection connection)
    {
        _connection = connection;
        _begin = new(connection, "BEGIN");
        _end = new(connection, "COMMIT");
        _header = new(connection, """
            SELECT e.header, e.input_payload, r.replay FROM executions e LEFT JOIN checkpoint_replays r ON r.execution_id = e.execution_id
            WHERE e.execution_id = $1
            """, 1);
        _operation = new(connection, "SELECT record FROM operations WHERE execution_id = $1 AND operation_id = $2", 2);
        _operationsAfter = new(connection, "SELECT record FROM operations WHERE execution_id = $1 AND sequence > $2 ORDER BY sequence LIMIT $3", 3);
        _historyForward = new(connection, "SELECT event FROM history_events WHERE execution_id = $1 AND event_id > $2 ORDER BY event_id LIMIT $3", 3);
        _historyBackward = new(connection, "SELECT event FROM history_events WHERE execution_id = $1 AND event_id < $2 ORDER BY event_id DESC LIMIT $3", 3);
        _dueTimers = new(connection, """
            SELECT execution_id, timer_key, kind, due_at, operation_id, tag FROM timers
            WHERE due_at <= $1 ORDER BY due_at, execution_id, timer_key LIMIT $2
            """, 2);
        _nextDueTime = new(connection, "SELECT min(due_at) FROM timers");
        _callback = new(connection, "SELECT execution_id, operation_id FROM callbacks WHERE callback_id = $1", 1);
        _countExecutions = new(connection, string.Create(CultureInfo.InvariantCulture, $"""
            SELECT function_version, status, COUNT(*) FROM executions
            WHERE function_name = $1
              AND (end_time IS NULL OR end_time + json_extract(header, '$.RetentionPeriodInDays') * {TimeSpan.TicksPerDay} > $2)
            GROUP BY function_version, status
            """), 2);
        _outboxAfter = new(connection, "SELECT position, event FROM outbox WHERE position > $1 ORDER BY position LIMIT $2", 2);
        _outboxCursor = new(connection, "SELECT position FROM outbox_cursors WHERE consumer = $1", 1);
        _outboxEnd = new(connection, "SELECT coalesce(max(position), 0) FROM outbox");
        _deadLetters = new(connection,
            "SELECT position, attempts, last_error, failed_at FROM outbox_dead_letters WHERE consumer = $1 ORDER BY position LIMIT $2", 2);
    }

    /// <summary>The header and the requested operations, read in one transaction so they belong to one commit.</summary>
    public ExecutionSnapshot? Load(string executionId, IReadOnlyCollection<string> operationIds)
    {
        _begin.Run();
        try
        {
            ExecutionRecord execution;
            using (SqliteDataReader row = _header.Query(executionId))
            {
                if (!row.Read())
                {
                    return null;
                }

                execution = StoredRows.Execution(row, 0) with
                {
                    LastCheckpoint = row.IsDBNull(2) ? null : StoreJson.Read(row.GetString(2), StoreJson.Replay),
                };
            }

            var operations = new Dictionary<string, OperationRecord>(operationIds.Count, StringComparer.Ordinal);
            foreach (string operationId in operationIds)
            {
                using SqliteDataReader row = _operation.Query(executionId, operationId);
                if (row.Read())
                {
                    operations[operationId] = StoreJson.Read(row.GetString(0), StoreJson.Operation);
                }
            }

            return new ExecutionSnapshot(execution, operations);
        }
        finally
        {
            _end.Run();
        }
    }

    public IReadOnlyList<OperationRecord> ReadOperations(string executionId, int afterSequence, int maxItems)
    {
        using SqliteDataReader rows = _operationsAfter.Query(executionId, afterSequence, maxItems);
        var operations = new List<OperationRecord>();
        while (rows.Read())
        {
            operations.Add(StoreJson.Read(rows.GetString(0), StoreJson.Operation));
        }

        return operations;
    }

    public IReadOnlyList<HistoryEvent> ReadHistory(string executionId, int fromEventId, int maxItems, bool descending)
    {
        using SqliteDataReader rows = (descending ? _historyBackward : _historyForward).Query(executionId, fromEventId, maxItems);
        var events = new List<HistoryEvent>();
        while (rows.Read())
        {
            events.Add(StoreJson.Read(rows.GetString(0), StoreJson.Event));
        }

        return events;
    }

    public IReadOnlyList<TimerRecord> GetDueTimers(DateTimeOffset now, int maxItems)
    {
        using SqliteDataReader rows = _dueTimers.Query(StoredTime.From(now), maxItems);
        var timers = new List<TimerRecord>();
        while (rows.Read())
        {
            timers.Add(StoredRows.Timer(rows));
        }

        return timers;
    }

    public DateTimeOffset? GetNextDueTime()
    {
        using SqliteDataReader row = _nextDueTime.Query();
        return row.Read() && !row.IsDBNull(0) ? StoredTime.ToTime(row.GetInt64(0)) : null;
    }

    public IReadOnlyList<OutboxEntry> ReadOutbox(long afterPosition, int maxItems)
    {
        var entries = new List<OutboxEntry>();
        using SqliteDataReader rows = _outboxAfter.Query(afterPosition, maxItems);
        while (rows.Read())
        {
            entries.Add(new OutboxEntry(rows.GetInt64(0), StoreJson.Read(rows.GetString(1), StoreJson.StatusEvent)));
        }

        return entries;
    }

    public long GetOutboxEnd()
    {
        using SqliteDataReader row = _outboxEnd.Query();
        return row.Read() ? row.GetInt64(0) : 0;
    }

    public long GetOutboxCursor(string consumer)
    {
        using SqliteDataReader row = _outboxCursor.Query(consumer);
        return row.Read() ? row.GetInt64(0) : 0;
    }

    public IReadOnlyList<DeadLetter> ReadDeadLetters(string consumer, int maxItems)
    {
        var letters = new List<DeadLetter>();
        using SqliteDataReader rows = _deadLetters.Query(consumer, maxItems);
        while (rows.Read())
        {
            letters.Add(new DeadLetter(consumer, rows.GetInt64(0), rows.GetInt32(1), rows.GetString(2), StoredTime.ToTime(rows.GetInt64(3))));
        }

        return letters;
    }

    public CallbackLocation? FindCallback(string callbackId)
    {
        using SqliteDataReader row = _callback.Query(callbackId);
        return row.Read() ? new CallbackLocation(callbackId, row.GetString(0), row.GetString(1)) : null;
    }

    /// <summary>The filters vary per call, so this query is built each time (listing is not on the hot path).</summary>
    public IReadOnlyList<ExecutionRecord> ListExecutions(ExecutionQuery query)
    {
        using SqliteCommand command = _connection.CreateCommand();
        var sql = new StringBuilder("SELECT header, input_payload FROM executions WHERE function_name = $function");
        command.Parameters.AddWithValue("$function", query.FunctionName);
        if (query.FunctionVersion is not null)
        {
            sql.Append(" AND function_version = $version");
            command.Parameters.AddWithValue("$version", query.FunctionVersion);
        }

        if (query.ExecutionName is not null)
        {
            sql.Append(" AND execution_name = $name");
            command.Parameters.AddWithValue("$name", query.ExecutionName);
        }

        if (query.ExecutionNamePrefix is { Length: > 0 } prefix)
        {
            // A range on the indexed (function_name, execution_name): names are ASCII, so the next string after every
            // name with the prefix is the prefix with its last character incremented (SQLite compares text bytewise).
            sql.Append(" AND execution_name >= $prefix AND execution_name < $prefixEnd");
            command.Parameters.AddWithValue("$prefix", prefix);
            command.Parameters.AddWithValue("$prefixEnd", prefix[..^1] + (char)(prefix[^1] + 1));
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            sql.Append(" AND status IN (").AppendJoin(", ", statuses.Select(status => ((int)status).ToString(CultureInfo.InvariantCulture))).Append(')');
        }

        if (query.StartedAfter is { } after)
        {
            sql.Append(" AND start_time > $after");
            command.Parameters.AddWithValue("$after", StoredTime.From(after));
        }

        if (query.StartedBefore is { } before)
        {
            sql.Append(" AND start_time < $before");
            command.Parameters.AddWithValue("$before", StoredTime.From(before));
        }

        command.CommandText = sql.Append(" ORDER BY start_time, execution_id").ToString();
        using SqliteDataReader rows = command.ExecuteReader();
        var executions = new List<ExecutionRecord>();
        while (rows.Read())
        {
            executions.Add(StoredRows.Execution(rows, 0));
        }

        return executions;
    }

    /// <summary>The executions of a function per version and status, counted through the function's index; only closed ones' headers are read (for their retention).</summary>
    public IReadOnlyList<ExecutionCount> CountExecutions(string functionName, DateTimeOffset now)
    {
        using SqliteDataReader rows = _countExecutions.Query(functionName, StoredTime.From(now));
        var counts = new List<ExecutionCount>();
        while (rows.Read())
        {
            counts.Add(new ExecutionCount(rows.GetString(0), (ExecutionStatus)rows.GetInt32(1), rows.GetInt64(2)));
        }

        return counts;
    }

    public void Dispose()
    {
        foreach (PreparedStatement statement in (PreparedStatement[])[_begin, _end, _header, _operation, _operationsAfter, _historyForward,
            _historyBackward, _dueTimers, _nextDueTime, _callback, _countExecutions, _outboxAfter, _outboxCursor,
            _deadLetters, _outboxEnd])
        {
            statement.Dispose();
        }

        _connection.Dispose();
    }
}
