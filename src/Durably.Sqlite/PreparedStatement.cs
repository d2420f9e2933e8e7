using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Durably.Sqlite;

/// <summary>
/// One SQL statement compiled once on its connection and run many times with positional values (<c>$1</c>, <c>$2</c> …).
/// Values are <see cref="string"/>, <see cref="long"/>, <see cref="int"/>, null, or a <see cref="byte"/> array holding
/// UTF-8 text (JSON serialized before the write was queued, so the writer only copies it).
/// </summary>
/// <remarks>
/// <see cref="Run"/> drives SQLite directly (bind, step, reset): the writer runs every statement of every commit on one
/// thread, and <see cref="SqliteCommand.ExecuteNonQuery()"/> costs several times the statement itself there (a data
/// reader, an enumerator of statements, a type switch per parameter). Queries keep Microsoft.Data.Sqlite's reader.
/// </remarks>
internal sealed class PreparedStatement : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _sql;
    private readonly int _parameterCount;
    private sqlite3_stmt? _statement;
    private int[] _positions = [];
    private SqliteCommand? _command;

    public PreparedStatement(SqliteConnection connection, string sql, int parameterCount = 0)
    {
        _connection = connection;
        _sql = sql;
        _parameterCount = parameterCount;
    }

    /// <summary>Runs the statement; returns the number of rows it changed.</summary>
    public int Run(params ReadOnlySpan<object?> values)
    {
        sqlite3 database = _connection.Handle!;
        sqlite3_stmt statement = _statement ??= Prepare(database);
        try
        {
            for (int index = 0; index < values.Length; index++)
            {
                Check(database, Bind(statement, _positions[index], values[index]));
            }

            int result = raw.sqlite3_step(statement);
            if (result != raw.SQLITE_DONE && result != raw.SQLITE_ROW)
            {
                Check(database, result);
            }

            return raw.sqlite3_changes(database);
        }
        finally
        {
            _ = raw.sqlite3_reset(statement);
        }
    }

    /// <summary>Runs a query; the caller disposes the reader before the statement runs again.</summary>
    public SqliteDataReader Query(params ReadOnlySpan<object?> values)
    {
        if (_command is null)
        {
            _command = _connection.CreateCommand();
            _command.CommandText = _sql;
            for (int index = 1; index <= _parameterCount; index++)
            {
                _command.Parameters.Add(new SqliteParameter("$" + index, null));
            }

            _command.Prepare();
        }

        for (int index = 0; index < values.Length; index++)
        {
            _command.Parameters[index].Value = values[index] is byte[] utf8 ? System.Text.Encoding.UTF8.GetString(utf8) : values[index] ?? DBNull.Value;
        }

        return _command.ExecuteReader();
    }

    public void Dispose()
    {
        _statement?.Dispose();
        _command?.Dispose();
    }

    /// <summary>Compiles the statement and finds where <c>$1</c>, <c>$2</c> … sit (SQLite numbers named parameters by first appearance).</summary>
    private sqlite3_stmt Prepare(sqlite3 database)
    {
        Check(database, raw.sqlite3_prepare_v2(database, _sql, out sqlite3_stmt statement));
        _positions = new int[_parameterCount];
        for (int index = 0; index < _parameterCount; index++)
        {
            _positions[index] = raw.sqlite3_bind_parameter_index(statement, "$" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return statement;
    }

    private static int Bind(sqlite3_stmt statement, int position, object? value) => value switch
    {
        null => raw.sqlite3_bind_null(statement, position),
        string text => raw.sqlite3_bind_text(statement, position, text),
        byte[] utf8 => raw.sqlite3_bind_text(statement, position, utf8.AsSpan()),
        long number => raw.sqlite3_bind_int64(statement, position, number),
        int number => raw.sqlite3_bind_int64(statement, position, number),
        _ => throw new ArgumentException($"A {value.GetType().Name} cannot be bound to a statement parameter.", nameof(value)),
    };

    /// <summary>Throws SQLite's error as Microsoft.Data.Sqlite does, so callers see one exception type.</summary>
    private static void Check(sqlite3 database, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite Error {result}: '{raw.sqlite3_errmsg(database).utf8_to_string()}'.", result, raw.sqlite3_extended_errcode(database));
        }
    }
}
