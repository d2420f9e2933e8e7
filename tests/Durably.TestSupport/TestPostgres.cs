using System.Diagnostics;
using Npgsql;

namespace Durably.TestSupport;

/// <summary>
/// The PostgreSQL server the tests use: <c>DURABLY_TEST_POSTGRES</c> (a connection string; eng/test.sh sets it), or, when
/// it is not set (a test run from an IDE), a throwaway server this process starts once with eng/postgres.sh and stops
/// when it exits. Never skipped: without a server the tests fail, saying why.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Server> Shared = new(StartOrFind, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server's connection string (database <c>postgres</c>, no schema chosen).</summary>
    public static string ConnectionString => Shared.Value.ConnectionString;

    /// <summary>The folder of the throwaway server this process or eng/test.sh started (for a restart), or null for a server given from outside.</summary>
    public static string? ServerFolder => Shared.Value.Folder;

    /// <summary>Restarts the throwaway server (<c>pg_ctl restart -m fast</c>): every connection to it is cut.</summary>
    public static void Restart()
    {
        string folder = ServerFolder ?? throw new InvalidOperationException(
            "DURABLY_TEST_POSTGRES points at a server the tests did not start; set DURABLY_TEST_POSTGRES_DIR to its eng/postgres.sh folder to let them restart it.");
        RunScript("restart", folder);
    }

    private static Server StartOrFind()
    {
        if (Environment.GetEnvironmentVariable("DURABLY_TEST_POSTGRES") is { Length: > 0 } given)
        {
            return new Server(given, Environment.GetEnvironmentVariable("DURABLY_TEST_POSTGRES_DIR") is { Length: > 0 } dir ? dir : null);
        }

        string[] lines = RunScript("start").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string folder = lines[^2];
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunScript("stop", folder);
        return new Server(lines[^1], folder);
    }

    private static string RunScript(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "eng", "postgres.sh"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"eng/postgres.sh {string.Join(' ', arguments)} failed: {output}{error.Result}");
        }

        return output;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Durably.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Durably.slnx above {AppContext.BaseDirectory}: cannot find eng/postgres.sh.");
    }

    private sealed record Server(string ConnectionString, string? Folder);
}

/// <summary>A schema of its own on the test server, so tests running at once do not see each other's rows; <see cref="DropAsync"/> deletes it.</summary>
public sealed class TempPostgresSchema
{
    public TempPostgresSchema()
    {
        Name = "t_" + Guid.NewGuid().ToString("N");
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var create = new NpgsqlCommand($"CREATE SCHEMA {Name}", connection);
        create.ExecuteNonQuery();
        ConnectionString = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { SearchPath = Name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>Unpooled: a pooled connection would not survive a test's server restart.</summary>
    private static string AdminConnectionString => new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Pooling = false }.ConnectionString;

    /// <summary>The server's connection string with this schema as its search path.</summary>
    public string ConnectionString { get; }

    public async Task DropAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA {Name} CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
