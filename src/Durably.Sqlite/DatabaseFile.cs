using Microsoft.Data.Sqlite;

namespace Durably.Sqlite;

/// <summary>
/// Creates a missing database file, and its missing folder, readable by its owner only (0600, folder 0700) before
/// SQLite opens it. SQLite gives the -wal and -shm files it creates beside the database the database file's mode,
/// so they are owner-only too. An existing file keeps the mode it has.
/// </summary>
internal static class DatabaseFile
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void CreateIfMissing(SqliteConnectionStringBuilder connectionString)
    {
        // A file: URI, a |DataDirectory| path (Microsoft.Data.Sqlite expands it) or a connection that may not create the
        // file is left to SQLite.
        string dataSource = connectionString.DataSource;
        if (connectionString.Mode != SqliteOpenMode.ReadWriteCreate || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            || dataSource.Contains("|DataDirectory|", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        string path = Path.GetFullPath(dataSource);
        if (File.Exists(path))
        {
            return;
        }

        string folder = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        CreateFolders(folder);

        try
        {
            // An empty file is an empty database to SQLite.
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created meanwhile by the other store on the same file.
        }
    }

    /// <summary>Creates the missing folders of <paramref name="folder"/> top down, each 0700 (.NET would create the parents 0777 less the umask).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CreateFolders(string folder)
    {
        var missing = new Stack<string>();
        for (string? current = folder; current is not null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
        {
            missing.Push(current);
        }

        while (missing.TryPop(out string? next))
        {
            Directory.CreateDirectory(next, OwnerOnlyFolder);
        }
    }
}
