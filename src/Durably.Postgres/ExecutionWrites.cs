using System.Globalization;
using Durably.Engine;
using Durably.Engine.Storage;
using Npgsql;

namespace Durably.Postgres;

/// <summary>
/// The version-checked writes of executions, each one transaction: creation, commit, purge. A write that loses its
/// connection while its COMMIT is under way does not know whether it committed: every header row carries the
/// <c>commit_id</c> of the transaction that wrote it last, and the retry reads it back before writing again, so a commit
/// is neither lost nor applied twice.
/// </summary>
internal sealed class ExecutionWrites(NpgsqlDataSource dataSource, TransientErrors transient, string notifyChannel)
{
    private const string UniqueViolation = "23505";
    private const string ForeignKeyViolation = "23503";

    public Task<CreateExecutionResult> CreateAsync(ExecutionChange creation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var commitId = Guid.NewGuid();
        return transient.RunAsync(async token =>
        {
            while (true)
            {
                if (await TryInsertAsync(creation, commitId, token).ConfigureAwait(false))
                {
                    return new CreateExecutionResult(creation.Execution, Created: true);
                }

                if (await CreateOverNameAsync(creation, commitId, now, token).ConfigureAwait(false) is { } result)
                {
                    return result;
                }
            }
        }, cancellationToken);
    }

    public Task<bool> TryCommitAsync(ExecutionChange change, CancellationToken cancellationToken)
    {
        var commitId = Guid.NewGuid();
        bool maybeCommitted = false;
        return transient.RunAsync(async token =>
        {
            if (maybeCommitted && await ResolveAsync(change, commitId, token).ConfigureAwait(false) is { } outcome)
            {
                return outcome;
            }

            using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
            using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
            ExecutionRecord execution = change.Execution;
            using var batch = new NpgsqlBatch(connection, transaction);
            Sql.Add(batch, """
                UPDATE executions SET status = $2, end_time = $3, retention_days = $4, version = $5, commit_id = $6, header = $7,
                    last_checkpoint = CASE WHEN $9 THEN $10::text ELSE last_checkpoint END
                WHERE execution_id = $1 AND version = $8
                """, execution.ExecutionId, (int)execution.Status, StoredTime.From(execution.EndTimestamp), execution.RetentionPeriodInDays,
                execution.Version, commitId, ChangeStatements.Header(execution), change.ExpectedVersion,
                change.WritesLastCheckpoint, change.WritesLastCheckpoint ? ChangeStatements.LastCheckpoint(execution) : null);
            ChangeStatements.AddDetails(batch, change, notifyChannel);
            try
            {
                await batch.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }
            catch (PostgresException exception) when (exception.SqlState is UniqueViolation or ForeignKeyViolation)
            {
                // A loser's version check wrote nothing, but the statements after it ran on and met the winner's rows.
                await transaction.RollbackAsync(token).ConfigureAwait(false);
                if (await ReadVersionAsync(connection, execution.ExecutionId, token).ConfigureAwait(false) != change.ExpectedVersion)
                {
                    return false;
                }

                throw;
            }

            if (batch.BatchCommands[0].RecordsAffected == 0)
            {
                await transaction.RollbackAsync(token).ConfigureAwait(false);
                return false;
            }

            await CreateChildrenAsync(batch, change.CreatedExecutions, commitId, token).ConfigureAwait(false);
            maybeCommitted = true;
            await transaction.CommitAsync(token).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes the execution at <paramref name="expectedVersion"/> (its operations, events and callbacks go with it:
    /// ON DELETE CASCADE) and its timers, in one statement; for version 0, only timers left under an unknown id.
    /// </summary>
    public Task<bool> PurgeAsync(string executionId, long expectedVersion, CancellationToken cancellationToken) =>
        transient.RunAsync(async token =>
        {
            using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
            string sql = expectedVersion == 0
                ? """
                  WITH gone AS (DELETE FROM timers WHERE execution_id = $1 AND NOT EXISTS (SELECT 1 FROM executions WHERE execution_id = $1))
                  SELECT NOT EXISTS (SELECT 1 FROM executions WHERE execution_id = $1)
                  """
                : """
                  WITH purged AS (DELETE FROM executions WHERE execution_id = $1 AND version = $2 RETURNING execution_id),
                       gone AS (DELETE FROM timers t USING purged p WHERE t.execution_id = p.execution_id)
                  SELECT count(*) = 1 FROM purged
                  """;
            using NpgsqlCommand command = expectedVersion == 0 ? Sql.Command(connection, sql, executionId) : Sql.Command(connection, sql, executionId, expectedVersion);
            return (bool)(await command.ExecuteScalarAsync(token).ConfigureAwait(false))!;
        }, cancellationToken);

    /// <summary>
    /// Creates a committed change's <see cref="ExecutionChange.CreatedExecutions"/> in its transaction (after its version
    /// check): each replaces an execution of its name past retention at its start time and is skipped when the name is
    /// retained; one batch of inserts, then one of the created children's details.
    /// </summary>
    private async Task CreateChildrenAsync(NpgsqlBatch parent, IReadOnlyList<ExecutionChange> children, Guid commitId, CancellationToken cancellationToken)
    {
        if (children.Count == 0)
        {
            return;
        }

        using var inserts = new NpgsqlBatch(parent.Connection, parent.Transaction);
        foreach (ExecutionChange child in children)
        {
            ExecutionRecord execution = child.Execution;
            Sql.Add(inserts, string.Create(CultureInfo.InvariantCulture, $"""
                WITH expired AS (
                    DELETE FROM executions WHERE function_name = $1 AND execution_name = $2
                        AND end_time IS NOT NULL AND end_time + retention_days * {TimeSpan.TicksPerDay}::bigint <= $3
                    RETURNING execution_id)
                DELETE FROM timers t USING expired e WHERE t.execution_id = e.execution_id
                """), execution.FunctionName, execution.ExecutionName, StoredTime.From(execution.StartTimestamp));
            AddInsertRow(inserts, execution, commitId, onConflictDoNothing: true);
        }

        await inserts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        using var details = new NpgsqlBatch(parent.Connection, parent.Transaction);
        for (int index = 0; index < children.Count; index++)
        {
            if (inserts.BatchCommands[(2 * index) + 1].RecordsAffected == 1)
            {
                ChangeStatements.AddDetails(details, children[index], notifyChannel);
            }
        }

        if (details.BatchCommands.Count > 0)
        {
            await details.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The creation's insert and details in one batch; false (rolled back) when the name is taken.</summary>
    private async Task<bool> TryInsertAsync(ExecutionChange creation, Guid commitId, CancellationToken cancellationToken)
    {
        using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using var batch = new NpgsqlBatch(connection, transaction);
        AddInsert(batch, creation, commitId, onConflictDoNothing: true);
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (exception.SqlState is UniqueViolation or ForeignKeyViolation)
        {
            // The name was taken (the insert did nothing, so the operations found no execution), or a concurrent start of
            // the same name committed first.
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (batch.BatchCommands[0].RecordsAffected == 0)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The name is taken: the existing execution when it is retained (or is this creation, committed by an attempt whose
    /// outcome was unknown), otherwise the expired one is replaced. Null when the name came free meanwhile: insert again.
    /// </summary>
    private async Task<CreateExecutionResult?> CreateOverNameAsync(ExecutionChange creation, Guid commitId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ExecutionRecord execution = creation.Execution;
        using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        ExecutionRecord existing;
        using (NpgsqlCommand find = Sql.Command(connection,
            "SELECT header, input_payload, commit_id FROM executions WHERE function_name = $1 AND execution_name = $2 FOR UPDATE",
            execution.FunctionName, execution.ExecutionName))
        using (NpgsqlDataReader row = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await row.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            existing = StoredRows.Execution(row, 0);
            if (row.GetGuid(2) == commitId)
            {
                return new CreateExecutionResult(execution, Created: true);
            }
        }

        if (!existing.IsExpiredAt(now))
        {
            return new CreateExecutionResult(existing, Created: false);
        }

        using var batch = new NpgsqlBatch(connection, transaction);
        Sql.Add(batch, "DELETE FROM executions WHERE execution_id = $1", existing.ExecutionId);
        Sql.Add(batch, "DELETE FROM timers WHERE execution_id = $1", existing.ExecutionId);
        AddInsert(batch, creation, commitId, onConflictDoNothing: false);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CreateExecutionResult(execution, Created: true);
    }

    private void AddInsert(NpgsqlBatch batch, ExecutionChange creation, Guid commitId, bool onConflictDoNothing)
    {
        AddInsertRow(batch, creation.Execution, commitId, onConflictDoNothing);
        ChangeStatements.AddDetails(batch, creation, notifyChannel);
    }

    private static void AddInsertRow(NpgsqlBatch batch, ExecutionRecord execution, Guid commitId, bool onConflictDoNothing) =>
        Sql.Add(batch, $"""
            INSERT INTO executions (execution_id, function_name, function_version, execution_name, status, start_time, end_time,
                                    retention_days, version, commit_id, input_payload, header, last_checkpoint)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            {(onConflictDoNothing ? "ON CONFLICT DO NOTHING" : "")}
            """, execution.ExecutionId, execution.FunctionName, execution.FunctionVersion, execution.ExecutionName, (int)execution.Status,
            StoredTime.From(execution.StartTimestamp), StoredTime.From(execution.EndTimestamp), execution.RetentionPeriodInDays, execution.Version,
            commitId, execution.InputPayload, ChangeStatements.Header(execution), ChangeStatements.LastCheckpoint(execution));

    /// <summary>
    /// After a commit whose outcome is unknown: true when it went through, false when another writer moved the execution
    /// on (or it was purged), null when nothing happened and the commit may be tried again.
    /// </summary>
    private async Task<bool?> ResolveAsync(ExecutionChange change, Guid commitId, CancellationToken cancellationToken)
    {
        using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using NpgsqlCommand command = Sql.Command(connection, "SELECT version, commit_id FROM executions WHERE execution_id = $1", change.Execution.ExecutionId);
        using NpgsqlDataReader row = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (row.GetGuid(1) == commitId)
        {
            return true;
        }

        return row.GetInt64(0) == change.ExpectedVersion ? null : false;
    }

    private static async Task<long?> ReadVersionAsync(NpgsqlConnection connection, string executionId, CancellationToken cancellationToken)
    {
        using NpgsqlCommand command = Sql.Command(connection, "SELECT version FROM executions WHERE execution_id = $1", executionId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as long?;
    }
}
