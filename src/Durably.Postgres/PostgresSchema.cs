using System.Globalization;
using Durably.Engine.Storage;
using Npgsql;

namespace Durably.Postgres;

/// <summary>
/// The schema as an ordered list of migrations: migration n (1-based) brings a database from schema version n - 1 to n.
/// Never edit a shipped migration; append a new one. Times are UTC ticks; records are JSON text (the engine's stored
/// JSON, as in the SQLite store). Tables live in the connection's schema (its search path).
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The advisory lock every node takes to migrate: nodes starting together migrate one after the other.</summary>
    private const long MigrationLock = 0x44757261626c7901; // "Durably" + 1

    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: executions (header as JSON, queried fields as columns; the unique name index makes starts idempotent;
        // commit_id tells a writer whether its commit, interrupted by a lost connection, went through), operations,
        // history events, timers (due ones found through timers_by_due), callbacks, run-time HTTP functions and webhook
        // subscriptions, and the outbox of status-change events with its consumers' cursors and dead letters. Keys and
        // names compare bytewise (COLLATE "C", as in SQLite), so orders and name-prefix ranges do not depend on the
        // database's locale and index order is the order the store returns. timers_leases: kind 1 is InvocationLease.
        """
        CREATE TABLE executions (
            execution_id     text COLLATE "C" NOT NULL PRIMARY KEY,
            function_name    text COLLATE "C" NOT NULL,
            function_version text COLLATE "C" NOT NULL,
            execution_name   text COLLATE "C" NOT NULL,
            status           integer NOT NULL,
            start_time       bigint  NOT NULL,
            end_time         bigint,
            retention_days   integer NOT NULL,
            version          bigint  NOT NULL,
            commit_id        uuid    NOT NULL,
            input_payload    text,
            header           text    NOT NULL
        );
        CREATE UNIQUE INDEX executions_by_name ON executions (function_name, execution_name);
        CREATE INDEX executions_by_start ON executions (function_name, start_time, execution_id);

        CREATE TABLE operations (
            execution_id text COLLATE "C" NOT NULL REFERENCES executions (execution_id) ON DELETE CASCADE,
            sequence     integer NOT NULL,
            operation_id text COLLATE "C" NOT NULL,
            record       text    NOT NULL,
            PRIMARY KEY (execution_id, sequence)
        );
        CREATE UNIQUE INDEX operations_by_id ON operations (execution_id, operation_id);

        CREATE TABLE history_events (
            execution_id text COLLATE "C" NOT NULL REFERENCES executions (execution_id) ON DELETE CASCADE,
            event_id     integer NOT NULL,
            event        text    NOT NULL,
            PRIMARY KEY (execution_id, event_id)
        );

        CREATE TABLE timers (
            execution_id text COLLATE "C" NOT NULL,
            timer_key    text COLLATE "C" NOT NULL,
            kind         integer NOT NULL,
            due_at       bigint  NOT NULL,
            operation_id text,
            tag          text,
            PRIMARY KEY (execution_id, timer_key)
        );
        CREATE INDEX timers_by_due ON timers (due_at, execution_id, timer_key);
        CREATE INDEX timers_leases ON timers (due_at) WHERE kind = 1;

        CREATE TABLE callbacks (
            callback_id  text COLLATE "C" NOT NULL PRIMARY KEY,
            execution_id text COLLATE "C" NOT NULL REFERENCES executions (execution_id) ON DELETE CASCADE,
            operation_id text COLLATE "C" NOT NULL
        );
        CREATE INDEX callbacks_by_execution ON callbacks (execution_id);

        CREATE SEQUENCE function_registration_order;
        CREATE TABLE function_registrations (
            function_name      text COLLATE "C" NOT NULL,
            function_version   text COLLATE "C" NOT NULL,
            sequence           bigint  NOT NULL,
            url                text    NOT NULL,
            execution_timeout  bigint  NOT NULL,
            retention_days     integer NOT NULL,
            invocation_timeout bigint  NOT NULL,
            PRIMARY KEY (function_name, function_version)
        );

        CREATE TABLE event_subscriptions (
            name    text NOT NULL PRIMARY KEY,
            url     text NOT NULL,
            pattern text NOT NULL,
            secret  text NOT NULL
        );

        CREATE TABLE outbox (
            position     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            execution_id text COLLATE "C" NOT NULL,
            event        text   NOT NULL
        );
        CREATE TABLE outbox_cursors (
            consumer text COLLATE "C" NOT NULL PRIMARY KEY,
            position bigint NOT NULL
        );
        CREATE TABLE outbox_dead_letters (
            consumer   text COLLATE "C" NOT NULL,
            position   bigint  NOT NULL,
            attempts   integer NOT NULL,
            last_error text    NOT NULL,
            failed_at  bigint  NOT NULL,
            PRIMARY KEY (consumer, position)
        );
        """,

        // 2: a retried checkpoint's saved answer leaves the header for its own column, written only by the checkpoint that
        // sets it (ExecutionChange.WritesLastCheckpoint), so other header writes neither serialize nor rewrite it.
        "ALTER TABLE executions ADD COLUMN last_checkpoint text;",
    ];

    /// <summary>
    /// Creates or migrates the schema in one transaction under a transaction-scoped advisory lock, so that nodes
    /// starting at once do not race; refuses a database newer than this code.
    /// </summary>
    /// <returns>The version the database had before.</returns>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({MigrationLock})"), cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS durably_schema_version (version integer NOT NULL)", cancellationToken).ConfigureAwait(false);
        using (var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM durably_schema_version", connection))
        {
            int found = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (found > Migrations.Count)
            {
                throw new InvalidOperationException(
                    $"The database has Durably schema version {found}, newer than this Durably.Postgres understands ({Migrations.Count}). " +
                    "Upgrade Durably.Postgres on every node, or use another database or schema.");
            }

            for (int version = found + 1; version <= Migrations.Count; version++)
            {
                await ExecuteAsync(connection, Migrations[version - 1], cancellationToken).ConfigureAwait(false);
            }

            if (found < Migrations.Count)
            {
                await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture,
                    $"DELETE FROM durably_schema_version; INSERT INTO durably_schema_version (version) VALUES ({Migrations.Count})"), cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return found;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
