using System.Data.Common;

namespace Durably.Engine.Storage;

/// <summary>Records from the result rows of a store's queries, for the column layouts the SQL stores share.</summary>
internal static class StoredRows
{
    /// <summary>The columns <see cref="Timer"/> reads, in its order.</summary>
    public const string TimerColumns = "execution_id, timer_key, kind, due_at, operation_id, tag";

    /// <summary>An execution from (header, input_payload) starting at <paramref name="column"/>.</summary>
    public static ExecutionRecord Execution(DbDataReader row, int column) =>
        StoreJson.Read(row.GetString(column), StoreJson.Execution) with
        {
            InputPayload = row.IsDBNull(column + 1) ? null : row.GetString(column + 1),
        };

    /// <summary>A timer from <see cref="TimerColumns"/>.</summary>
    public static TimerRecord Timer(DbDataReader row) => new(
        row.GetString(0),
        row.GetString(1),
        (TimerKind)row.GetInt32(2),
        StoredTime.ToTime(row.GetInt64(3)),
        row.IsDBNull(4) ? null : row.GetString(4),
        row.IsDBNull(5) ? null : row.GetString(5));
}
