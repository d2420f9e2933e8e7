using System.Runtime.Versioning;
using Durably.Engine;
using Durably.StoreContract;

namespace Durably.Sqlite.Tests;

/// <summary>The store creates its folder, its file and SQLite's -wal and -shm files readable by their owner only.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SqliteFilePermissionsTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;
    private readonly string _root = Directory.CreateTempSubdirectory("durably-modes-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task NewFileInMissingFolder_FolderAndFilesOwnerOnly()
    {
        string folder = Path.Combine(_root, "data", "durably");
        string path = Path.Combine(folder, "durably.db");
        DateTimeOffset now = DateTimeOffset.UnixEpoch;

        await using (var store = new SqliteExecutionStore(new SqliteStoreOptions { ConnectionString = $"Data Source={path}" }))
        {
            Assert.True((await store.CreateExecutionAsync(StoreSamples.Creation("e1", "e1", now), now)).Created);

            Assert.Equal(OwnerAll, File.GetUnixFileMode(folder));
            Assert.Equal(OwnerAll, File.GetUnixFileMode(Path.GetDirectoryName(folder)!));
            Assert.All(new[] { "", "-wal", "-shm" }, suffix => Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path + suffix)));
        }
    }

    [Fact]
    public async Task ExistingFile_KeepsItsMode()
    {
        string path = Path.Combine(_root, "shared.db");
        File.WriteAllBytes(path, []);
        const UnixFileMode groupReadable = OwnerReadWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(path, groupReadable);

        await using (var store = new SqliteExecutionStore(new SqliteStoreOptions { ConnectionString = $"Data Source={path}" }))
        {
            Assert.Equal(groupReadable, File.GetUnixFileMode(path));
        }
    }
}
