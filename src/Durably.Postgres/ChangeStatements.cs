using Durably.Engine;
using Durably.Engine.Storage;
using Npgsql;

namespace Durably.Postgres;

/// <summary>
/// The statements that write one <see cref="ExecutionChange"/> beside its header: operations, history events, outbox
/// events, timers and callbacks, each kind one statement over arrays (<c>unnest</c>), all sent in one batch. Stored JSON
/// is the engine's (<see cref="StoreJson"/>).
/// </summary>
internal static class ChangeStatements
{
    /// <summary>Outbox positions must grow in commit order (a reader pages with <c>position &gt; after</c>): status changes take this lock for their last moments.</summary>
    private const long OutboxLock = 0x44757261626c7902; // "Durably" + 2

    /// <summary>
    /// The header without its input (its own column, written once) and its last checkpoint's replay (its own column,
    /// written by the checkpoint that sets it).
    /// </summary>
    public static string Header(ExecutionRecord execution) => StoreJson.Write(execution with { InputPayload = null, LastCheckpoint = null }, StoreJson.Execution);

    /// <summary>The <c>last_checkpoint</c> column's value: the replay's JSON, or null.</summary>
    public static string? LastCheckpoint(ExecutionRecord execution) =>
        execution.LastCheckpoint is { } replay ? StoreJson.Write(replay, StoreJson.Replay) : null;

    /// <summary>Appends the statements of everything in <paramref name="change"/> but its header to <paramref name="batch"/>.</summary>
    public static void AddDetails(NpgsqlBatch batch, ExecutionChange change, string notifyChannel)
    {
        string executionId = change.Execution.ExecutionId;
        if (change.Operations.Count > 0)
        {
            // One row per operation id: an upsert may not touch a row twice, and the last write of an id is the one that counts.
            OperationRecord[] operations = [.. change.Operations.GroupBy(record => record.Operation.Id, StringComparer.Ordinal).Select(group => group.Last())];
            Sql.Add(batch, """
                INSERT INTO operations (execution_id, sequence, operation_id, record)
                SELECT $1, * FROM unnest($2::integer[], $3::text[], $4::text[])
                ON CONFLICT (execution_id, operation_id) DO UPDATE SET record = excluded.record
                """, executionId, operations.Select(record => record.Sequence).ToArray(), operations.Select(record => record.Operation.Id).ToArray(),
                operations.Select(record => StoreJson.Write(record, StoreJson.Operation)).ToArray());
        }

        if (change.Events.Count > 0)
        {
            Sql.Add(batch, "INSERT INTO history_events (execution_id, event_id, event) SELECT $1, * FROM unnest($2::integer[], $3::text[])",
                executionId, change.Events.Select(item => item.EventId).ToArray(), change.Events.Select(item => StoreJson.Write(item, StoreJson.Event)).ToArray());
        }

        if (change.RemoveAllTimers)
        {
            Sql.Add(batch, "DELETE FROM timers WHERE execution_id = $1", executionId);
        }

        if (change.TimersToRemove.Count > 0)
        {
            Sql.Add(batch, "DELETE FROM timers WHERE execution_id = $1 AND timer_key = ANY($2)", executionId, change.TimersToRemove.ToArray());
        }

        if (change.TimersToSet.Count > 0)
        {
            TimerRecord[] timers = [.. change.TimersToSet.GroupBy(timer => (timer.ExecutionId, timer.Key)).Select(group => group.Last())];
            Sql.Add(batch, """
                INSERT INTO timers (execution_id, timer_key, kind, due_at, operation_id, tag)
                SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::text[], $6::text[])
                ON CONFLICT (execution_id, timer_key) DO UPDATE SET
                    kind = excluded.kind, due_at = excluded.due_at, operation_id = excluded.operation_id, tag = excluded.tag
                """, timers.Select(timer => timer.ExecutionId).ToArray(), timers.Select(timer => timer.Key).ToArray(),
                timers.Select(timer => (int)timer.Kind).ToArray(), timers.Select(timer => StoredTime.From(timer.DueAt)).ToArray(),
                timers.Select(timer => timer.OperationId).ToArray(), timers.Select(timer => timer.Tag).ToArray());
            if (timers.Any(timer => timer.Kind == TimerKind.Invoke))
            {
                // Delivered at commit, to every node listening (PostgresTimerListener): some node that hosts the version claims the invocation at once.
                Sql.Add(batch, "SELECT pg_notify($1, '')", notifyChannel);
            }
        }

        if (change.NewCallbacks.Count > 0)
        {
            Sql.Add(batch, """
                INSERT INTO callbacks (callback_id, execution_id, operation_id)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
                ON CONFLICT (callback_id) DO UPDATE SET execution_id = excluded.execution_id, operation_id = excluded.operation_id
                """, change.NewCallbacks.Select(callback => callback.CallbackId).ToArray(), change.NewCallbacks.Select(callback => callback.ExecutionId).ToArray(),
                change.NewCallbacks.Select(callback => callback.OperationId).ToArray());
        }

        if (change.StatusEvents.Count > 0)
        {
            // Last in the batch, so the lock is held only until the commit that follows.
            Sql.Add(batch, $"SELECT pg_advisory_xact_lock({OutboxLock})");
            Sql.Add(batch, "INSERT INTO outbox (execution_id, event) SELECT $1, unnest($2::text[])",
                executionId, change.StatusEvents.Select(item => StoreJson.Write(item, StoreJson.StatusEvent)).ToArray());
        }
    }
}
