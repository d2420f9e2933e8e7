using Microsoft.Data.Sqlite;

namespace Durably.Sqlite;

/// <summary>One SQL statement compiled once on its connection and run many times with positional values (<c>$1</c>, <c>$2</c> …).</summary>
internal sealed class PreparedStatement : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameterCollection _parameters;

    public PreparedStatement(SqliteConnection connection, string sql, int parameterCount = 0)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _parameters = _command.Parameters;
        for (int index = 1; index <= parameterCount; index++)
        {
            _parameters.Add(new SqliteParameter("$" + index, null));
        }

        _command.Prepare();
    }

    /// <summary>Runs the statement; returns the number of rows it changed.</summary>
    public int Run(params ReadOnlySpan<object?> values)
    {
        Bind(values);
        return _command.ExecuteNonQuery();
    }

    /// <summary>Runs a query; the caller disposes the reader before the statement runs again.</summary>
    public SqliteDataReader Query(params ReadOnlySpan<object?> values)
    {
        Bind(values);
        return _command.ExecuteReader();
    }

    public void Dispose() => _command.Dispose();

    private void Bind(ReadOnlySpan<object?> values)
    {
        for (int index = 0; index < values.Length; index++)
        {
            _parameters[index].Value = values[index] ?? DBNull.Value;
        }
    }
}
