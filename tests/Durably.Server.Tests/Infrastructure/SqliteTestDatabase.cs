using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Server.Tests.Infrastructure;

/// <summary>
/// A SQLite file in the temp folder that servers are started on one after another, as a process restarting on its
/// database; <see cref="Dispose"/> deletes it with its -wal and -shm files.
/// </summary>
public sealed class SqliteTestDatabase : TempSqliteFile, IDisposable
{
    /// <summary>A <see cref="DurablyTestServer"/> on this file (<c>UseSqlite</c>); <paramref name="configure"/> adds the functions registered in code.</summary>
    public Task<DurablyTestServer> StartServerAsync(
        Action<IDurablyBuilder>? configure = null, FakeTimeProvider? time = null, Action<WebApplicationBuilder>? host = null) =>
        DurablyTestServer.StartAsync(durably =>
        {
            durably.UseSqlite(ConnectionString);
            configure?.Invoke(durably);
        }, time: time, host: host);

    public void Dispose() => Delete();
}
