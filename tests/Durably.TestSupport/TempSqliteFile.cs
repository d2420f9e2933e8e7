namespace Durably.TestSupport;

/// <summary>A SQLite database path in the temp folder; <see cref="Delete"/> removes the file with its -wal and -shm files.</summary>
public class TempSqliteFile
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"durably-{Guid.NewGuid():N}.db");

    public string ConnectionString => $"Data Source={Path}";

    public void Delete()
    {
        foreach (string suffix in (string[])["", "-wal", "-shm"])
        {
            File.Delete(Path + suffix);
        }
    }
}
