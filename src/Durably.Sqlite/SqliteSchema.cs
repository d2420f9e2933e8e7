using System.Globalization;
using Durably.Engine;
using Durably.Engine.Storage;
using Microsoft.Data.Sqlite;

namespace Durably.Sqlite;

/// <summary>
/// The schema as an ordered list of migrations: migration n (1-based) brings a database from schema version n - 1
/// to n. Never edit a shipped migration; append a new one. Times are UTC ticks; records are JSON.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The lease kind, inlined so the partial index matches the reclaim statement.</summary>
    public static readonly string LeaseKind = ((int)TimerKind.InvocationLease).ToString(CultureInfo.InvariantCulture);

    /// <summary>The retention kind, inlined in migration 4 as <see cref="ChangeWriter"/> writes it.</summary>
    private static readonly string RetentionKind = ((int)TimerKind.Retention).ToString(CultureInfo.InvariantCulture);

    private static readonly string TicksPerDay = TimeSpan.TicksPerDay.ToString(CultureInfo.InvariantCulture);

    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: executions (header as JSON, queried fields as columns; the unique name index makes starts idempotent),
        // operations, history events, timers, callbacks. Child rows are clustered by execution (WITHOUT ROWID): one
        // b-tree less to write per row, and an execution's operations and events are read in key order.
        """
        CREATE TABLE executions (
            execution_id     TEXT    NOT NULL PRIMARY KEY,
            function_name    TEXT    NOT NULL,
            function_version TEXT    NOT NULL,
            execution_name   TEXT    NOT NULL,
            status           INTEGER NOT NULL,
            start_time       INTEGER NOT NULL,
            end_time         INTEGER,
            version          INTEGER NOT NULL,
            input_payload    TEXT,
            header           TEXT    NOT NULL
        );
        CREATE UNIQUE INDEX executions_by_name ON executions (function_name, execution_name);
        CREATE INDEX executions_by_start ON executions (function_name, start_time, execution_id);

        CREATE TABLE operations (
            execution_id TEXT    NOT NULL REFERENCES executions (execution_id) ON DELETE CASCADE,
            sequence     INTEGER NOT NULL,
            operation_id TEXT    NOT NULL,
            record       TEXT    NOT NULL,
            PRIMARY KEY (execution_id, sequence)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX operations_by_id ON operations (execution_id, operation_id);

        CREATE TABLE history_events (
            execution_id TEXT    NOT NULL REFERENCES executions (execution_id) ON DELETE CASCADE,
            event_id     INTEGER NOT NULL,
            event        TEXT    NOT NULL,
            PRIMARY KEY (execution_id, event_id)
        ) WITHOUT ROWID;

        CREATE TABLE timers (
            execution_id TEXT    NOT NULL,
            timer_key    TEXT    NOT NULL,
            kind         INTEGER NOT NULL,
            due_at       INTEGER NOT NULL,
            operation_id TEXT,
            tag          TEXT,
            PRIMARY KEY (execution_id, timer_key)
        ) WITHOUT ROWID;
        CREATE INDEX timers_by_due ON timers (due_at, execution_id, timer_key);

        CREATE TABLE callbacks (
            callback_id  TEXT NOT NULL PRIMARY KEY,
            execution_id TEXT NOT NULL REFERENCES executions (execution_id) ON DELETE CASCADE,
            operation_id TEXT NOT NULL
        );
        CREATE INDEX callbacks_by_execution ON callbacks (execution_id);
        """,

        // 2: the invocation leases alone, so a restart finds its predecessor's leases without scanning every timer.
        $"CREATE INDEX timers_leases ON timers (due_at) WHERE kind = {LeaseKind};",

        // 3: HTTP functions registered at run time (SqliteFunctionRegistrationStore), loaded again on start. sequence
        // orders them by their last save, so a function's $LATEST is the same after a restart; durations are ticks.
        """
        CREATE TABLE function_registrations (
            function_name      TEXT    NOT NULL,
            function_version   TEXT    NOT NULL,
            sequence           INTEGER NOT NULL,
            url                TEXT    NOT NULL,
            execution_timeout  INTEGER NOT NULL,
            retention_days     INTEGER NOT NULL,
            invocation_timeout INTEGER NOT NULL,
            PRIMARY KEY (function_name, function_version)
        ) WITHOUT ROWID;
        """,

        // 4: executions closed before retention timers existed get theirs, due when their retention ends (end time plus
        // the retention captured at start); the dispatcher then purges them.
        $"""
        INSERT INTO timers (execution_id, timer_key, kind, due_at, operation_id, tag)
        SELECT e.execution_id, '{TimerRecord.RetentionKey}', {RetentionKind},
               e.end_time + json_extract(e.header, '$.RetentionPeriodInDays') * {TicksPerDay}, NULL, NULL
        FROM executions e
        WHERE e.end_time IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM timers t WHERE t.execution_id = e.execution_id AND t.timer_key = '{TimerRecord.RetentionKey}');
        """,

        // 5: the outbox of status-change events, written in the transaction of the status change; AUTOINCREMENT so a
        // position is never reused. No foreign key: a purged execution's events stay. Each consumer's delivered position, and
        // the events it gave up on (dead letters). The webhook subscriptions added at run time (SqliteEventSubscriptionStore).
        """
        CREATE TABLE outbox (
            position     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            execution_id TEXT    NOT NULL,
            event        TEXT    NOT NULL
        );
        CREATE TABLE outbox_cursors (
            consumer TEXT    NOT NULL PRIMARY KEY,
            position INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE outbox_dead_letters (
            consumer   TEXT    NOT NULL,
            position   INTEGER NOT NULL,
            attempts   INTEGER NOT NULL,
            last_error TEXT    NOT NULL,
            failed_at  INTEGER NOT NULL,
            PRIMARY KEY (consumer, position)
        ) WITHOUT ROWID;
        CREATE TABLE event_subscriptions (
            name    TEXT NOT NULL PRIMARY KEY,
            url     TEXT NOT NULL,
            pattern TEXT NOT NULL,
            secret  TEXT NOT NULL
        ) WITHOUT ROWID;
        """,

        // 6: a retried checkpoint's saved answer leaves the header: one row per execution, written only by the checkpoint
        // that sets it, so the other header writes neither serialize nor rewrite it. The replays headers hold are moved
        // here; what remains of them in a header is ignored when read.
        """
        CREATE TABLE checkpoint_replays (
            execution_id TEXT NOT NULL PRIMARY KEY REFERENCES executions (execution_id) ON DELETE CASCADE,
            replay       TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO checkpoint_replays (execution_id, replay)
        SELECT execution_id, json_extract(header, '$.LastCheckpoint') FROM executions WHERE json_extract(header, '$.LastCheckpoint') IS NOT NULL;
        UPDATE executions SET header = json_remove(header, '$.LastCheckpoint') WHERE json_extract(header, '$.LastCheckpoint') IS NOT NULL;
        """,
    ];

    /// <summary>The version this code writes.</summary>
    public static int CurrentVersion => Migrations.Count;

    /// <summary>Creates or migrates the schema in one transaction; refuses a database newer than <paramref name="migrations"/>.</summary>
    /// <returns>The version the database had before.</returns>
    public static int Migrate(SqliteConnection connection, IReadOnlyList<string> migrations)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SqliteConnections.Execute(connection, "BEGIN IMMEDIATE;");
        try
        {
            SqliteConnections.Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
            int found = SqliteConnections.Scalar<int>(connection, "SELECT coalesce(max(version), 0) FROM schema_version;");
            if (found > migrations.Count)
            {
                throw new InvalidOperationException(
                    $"The database '{connection.DataSource}' has schema version {found}, newer than this Durably.Sqlite understands ({migrations.Count}). " +
                    "Upgrade Durably.Sqlite, or use another file.");
            }

            for (int version = found + 1; version <= migrations.Count; version++)
            {
                SqliteConnections.Execute(connection, migrations[version - 1]);
            }

            if (found < migrations.Count)
            {
                SqliteConnections.Execute(connection, string.Create(CultureInfo.InvariantCulture,
                    $"DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ({migrations.Count});"));
            }

            SqliteConnections.Execute(connection, "COMMIT;");
            return found;
        }
        catch
        {
            SqliteConnections.TryRollback(connection);
            throw;
        }
    }
}
