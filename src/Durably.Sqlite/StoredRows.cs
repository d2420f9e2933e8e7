using Durably.Engine;
using Microsoft.Data.Sqlite;

namespace Durably.Sqlite;

/// <summary>Records from result rows, for the column layouts the store's queries share.</summary>
internal static class StoredRows
{
    /// <summary>An execution from (header, input_payload) starting at <paramref name="column"/>.</summary>
    public static ExecutionRecord Execution(SqliteDataReader row, int column) =>
        StoreJson.Read(row.GetString(column), StoreJson.Execution) with
        {
            InputPayload = row.IsDBNull(column + 1) ? null : row.GetString(column + 1),
        };

    /// <summary>A timer from (execution_id, timer_key, kind, due_at, operation_id, tag).</summary>
    public static TimerRecord Timer(SqliteDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        (TimerKind)row.GetInt32(2),
        StoredTime.ToTime(row.GetInt64(3)),
        row.IsDBNull(4) ? null : row.GetString(4),
        row.IsDBNull(5) ? null : row.GetString(5));
}
