using Durably.Engine;
using Durably.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Durably.Sqlite;

/// <summary>
/// The writer connection's prepared statements and the store's writes built on them. Each write checks before it
/// writes (the name, the version), so a request that loses its check writes nothing and its batch goes on.
/// Used by the writer thread only.
/// </summary>
internal sealed class ChangeWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly PreparedStatement _begin;
    private readonly PreparedStatement _commit;
    private readonly PreparedStatement _savepoint;
    private readonly PreparedStatement _release;
    private readonly PreparedStatement _rollbackToSavepoint;
    private readonly PreparedStatement _findByName;
    private readonly PreparedStatement _deleteExecution;
    private readonly PreparedStatement _deleteExecutionAtVersion;
    private readonly PreparedStatement _executionExists;
    private readonly PreparedStatement _deleteTimers;
    private readonly PreparedStatement _insertExecution;
    private readonly PreparedStatement _updateExecution;
    private readonly PreparedStatement _upsertOperation;
    private readonly PreparedStatement _insertEvent;
    private readonly PreparedStatement _deleteTimer;
    private readonly PreparedStatement _upsertTimer;
    private readonly PreparedStatement _upsertCallback;
    private readonly PreparedStatement _expireLeases;
    private readonly PreparedStatement _insertOutbox;
    private readonly PreparedStatement _saveCursor;
    private readonly PreparedStatement _upsertDeadLetter;
    private readonly PreparedStatement _deleteDeadLetter;
    private readonly PreparedStatement _upsertReplay;
    private readonly PreparedStatement _deleteReplay;

    public ChangeWriter(SqliteConnection connection)
    {
        _connection = connection;
        _begin = new(connection, "BEGIN IMMEDIATE");
        _commit = new(connection, "COMMIT");
        _savepoint = new(connection, "SAVEPOINT request");
        _release = new(connection, "RELEASE request");
        _rollbackToSavepoint = new(connection, "ROLLBACK TO request");
        _findByName = new(connection, "SELECT header, input_payload FROM executions WHERE function_name = $1 AND execution_name = $2", 2);
        _deleteExecution = new(connection, "DELETE FROM executions WHERE execution_id = $1", 1);
        // Operations, history events and callbacks go with the execution (ON DELETE CASCADE); timers are no child table.
        _deleteExecutionAtVersion = new(connection, "DELETE FROM executions WHERE execution_id = $1 AND version = $2", 2);
        _executionExists = new(connection, "SELECT 1 FROM executions WHERE execution_id = $1", 1);
        _deleteTimers = new(connection, "DELETE FROM timers WHERE execution_id = $1", 1);
        _insertExecution = new(connection, """
            INSERT INTO executions (execution_id, function_name, function_version, execution_name, status, start_time, end_time, version, input_payload, header)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, 10);
        _updateExecution = new(connection,
            "UPDATE executions SET status = $3, end_time = $4, version = $5, header = $6 WHERE execution_id = $1 AND version = $2", 6);
        _upsertOperation = new(connection, """
            INSERT INTO operations (execution_id, sequence, operation_id, record) VALUES ($1, $2, $3, $4)
            ON CONFLICT (execution_id, operation_id) DO UPDATE SET record = excluded.record
            """, 4);
        _insertEvent = new(connection, "INSERT INTO history_events (execution_id, event_id, event) VALUES ($1, $2, $3)", 3);
        _deleteTimer = new(connection, "DELETE FROM timers WHERE execution_id = $1 AND timer_key = $2", 2);
        _upsertTimer = new(connection, """
            INSERT INTO timers (execution_id, timer_key, kind, due_at, operation_id, tag) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (execution_id, timer_key) DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at, operation_id = excluded.operation_id, tag = excluded.tag
            """, 6);
        _upsertCallback = new(connection, """
            INSERT INTO callbacks (callback_id, execution_id, operation_id) VALUES ($1, $2, $3)
            ON CONFLICT (callback_id) DO UPDATE SET execution_id = excluded.execution_id, operation_id = excluded.operation_id
            """, 3);
        _expireLeases = new(connection, $"UPDATE timers SET due_at = $1 WHERE kind = {SqliteSchema.LeaseKind} AND due_at > $1", 1);
        _insertOutbox = new(connection, "INSERT INTO outbox (execution_id, event) VALUES ($1, $2)", 2);
        _saveCursor = new(connection, """
            INSERT INTO outbox_cursors (consumer, position) VALUES ($1, $2)
            ON CONFLICT (consumer) DO UPDATE SET position = max(position, excluded.position)
            """, 2);
        _upsertDeadLetter = new(connection, """
            INSERT INTO outbox_dead_letters (consumer, position, attempts, last_error, failed_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (consumer, position) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error, failed_at = excluded.failed_at
            """, 5);
        _deleteDeadLetter = new(connection, "DELETE FROM outbox_dead_letters WHERE consumer = $1 AND position = $2", 2);
        _upsertReplay = new(connection, """
            INSERT INTO checkpoint_replays (execution_id, replay) VALUES ($1, $2)
            ON CONFLICT (execution_id) DO UPDATE SET replay = excluded.replay
            """, 2);
        _deleteReplay = new(connection, "DELETE FROM checkpoint_replays WHERE execution_id = $1", 1);
    }

    public void Begin() => _begin.Run();

    public void Commit() => _commit.Run();

    public void Rollback() => SqliteConnections.TryRollback(_connection);

    /// <summary>Between transactions: copies the log pages the background checkpoint left (<see cref="WalCheckpointer"/>).</summary>
    public void CheckpointTail() => WalCheckpointer.CheckpointTail(_connection);

    public void Savepoint() => _savepoint.Run();

    public void Release() => _release.Run();

    public void RollbackToSavepoint()
    {
        _rollbackToSavepoint.Run();
        _release.Run();
    }

    /// <summary><see cref="IExecutionStore.CreateExecutionAsync"/>: nothing is written when the name is retained.</summary>
    public CreateExecutionResult CreateExecution(EncodedChange creation, DateTimeOffset now)
    {
        ExecutionRecord execution = creation.Change.Execution;
        ExecutionRecord? existing = FindByName(execution.FunctionName, execution.ExecutionName);
        if (existing is not null)
        {
            if (!existing.IsExpiredAt(now))
            {
                return new CreateExecutionResult(existing, Created: false);
            }

            _deleteExecution.Run(existing.ExecutionId);
            _deleteTimers.Run(existing.ExecutionId);
        }

        _insertExecution.Run(execution.ExecutionId, execution.FunctionName, execution.FunctionVersion, execution.ExecutionName,
            (int)execution.Status, StoredTime.From(execution.StartTimestamp), StoredTime.From(execution.EndTimestamp), execution.Version,
            execution.InputPayload, creation.Header);
        ApplyDetails(creation);
        return new CreateExecutionResult(execution, Created: true);
    }

    /// <summary><see cref="IExecutionStore.TryCommitAsync"/>: the version check is the first write; when it fails nothing else runs.</summary>
    public bool TryCommit(EncodedChange encoded)
    {
        ExecutionRecord execution = encoded.Change.Execution;
        if (_updateExecution.Run(execution.ExecutionId, encoded.Change.ExpectedVersion, (int)execution.Status,
            StoredTime.From(execution.EndTimestamp), execution.Version, encoded.Header) == 0)
        {
            return false;
        }

        ApplyDetails(encoded);
        if (encoded.Change.WritesLastCheckpoint)
        {
            SaveLastCheckpoint(execution.ExecutionId, encoded.LastCheckpoint);
        }

        foreach (EncodedChange creation in encoded.CreatedExecutions)
        {
            CreateExecution(creation, creation.Change.Execution.StartTimestamp);
        }

        return true;
    }

    /// <summary>
    /// <see cref="IExecutionStore.PurgeExecutionAsync"/>: the version check (the delete itself, or for version 0 that no
    /// execution exists) comes first; when it fails nothing else runs.
    /// </summary>
    public bool PurgeExecution(string executionId, long expectedVersion)
    {
        bool purged = expectedVersion == 0
            ? !ExecutionExists(executionId)
            : _deleteExecutionAtVersion.Run(executionId, expectedVersion) == 1;
        if (purged)
        {
            _deleteTimers.Run(executionId);
        }

        return purged;
    }

    /// <summary><see cref="IExecutionStore.ExpireInvocationLeasesAsync"/>.</summary>
    public int ExpireInvocationLeases(DateTimeOffset now) => _expireLeases.Run(StoredTime.From(now));

    /// <summary><see cref="IExecutionStore.SetOutboxCursorAsync"/>.</summary>
    public bool SaveOutboxCursor(string consumer, long position) => _saveCursor.Run(consumer, position) == 1;

    /// <summary><see cref="IExecutionStore.AddDeadLetterAsync"/>.</summary>
    public bool AddDeadLetter(DeadLetter letter) =>
        _upsertDeadLetter.Run(letter.Consumer, letter.Position, letter.Attempts, letter.LastError, StoredTime.From(letter.FailedAt)) == 1;

    /// <summary><see cref="IExecutionStore.RemoveDeadLetterAsync"/>.</summary>
    public bool RemoveDeadLetter(string consumer, long position) => _deleteDeadLetter.Run(consumer, position) == 1;

    public void Dispose()
    {
        foreach (PreparedStatement statement in (PreparedStatement[])[_begin, _commit, _savepoint, _release, _rollbackToSavepoint, _findByName,
            _deleteExecution, _deleteExecutionAtVersion, _executionExists, _deleteTimers, _insertExecution, _updateExecution, _upsertOperation,
            _insertEvent, _deleteTimer, _upsertTimer, _upsertCallback, _expireLeases, _insertOutbox, _saveCursor, _upsertDeadLetter,
            _deleteDeadLetter, _upsertReplay, _deleteReplay])
        {
            statement.Dispose();
        }

        _connection.Dispose();
    }

    private void SaveLastCheckpoint(string executionId, byte[]? replay)
    {
        if (replay is null)
        {
            _deleteReplay.Run(executionId);
        }
        else
        {
            _upsertReplay.Run(executionId, replay);
        }
    }

    private bool ExecutionExists(string executionId)
    {
        using SqliteDataReader row = _executionExists.Query(executionId);
        return row.Read();
    }

    private ExecutionRecord? FindByName(string functionName, string executionName)
    {
        using SqliteDataReader row = _findByName.Query(functionName, executionName);
        return row.Read() ? StoredRows.Execution(row, 0) : null;
    }

    private void ApplyDetails(EncodedChange encoded)
    {
        ExecutionChange change = encoded.Change;
        string executionId = change.Execution.ExecutionId;
        for (int index = 0; index < change.Operations.Count; index++)
        {
            OperationRecord operation = change.Operations[index];
            _upsertOperation.Run(executionId, operation.Sequence, operation.Operation.Id, encoded.Operations[index]);
        }

        for (int index = 0; index < change.Events.Count; index++)
        {
            _insertEvent.Run(executionId, change.Events[index].EventId, encoded.Events[index]);
        }

        foreach (byte[] statusEvent in encoded.StatusEvents)
        {
            _insertOutbox.Run(executionId, statusEvent);
        }

        if (change.RemoveAllTimers)
        {
            _deleteTimers.Run(executionId);
        }

        foreach (string key in change.TimersToRemove)
        {
            _deleteTimer.Run(executionId, key);
        }

        foreach (TimerRecord timer in change.TimersToSet)
        {
            _upsertTimer.Run(timer.ExecutionId, timer.Key, (int)timer.Kind, StoredTime.From(timer.DueAt), timer.OperationId, timer.Tag);
        }

        foreach (CallbackLocation callback in change.NewCallbacks)
        {
            _upsertCallback.Run(callback.CallbackId, callback.ExecutionId, callback.OperationId);
        }
    }
}
