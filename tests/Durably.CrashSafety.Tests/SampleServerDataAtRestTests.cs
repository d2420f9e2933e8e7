using System.Net;
using System.Runtime.Versioning;
using System.Text;

namespace Durably.CrashSafety.Tests;

/// <summary>The sample server's <c>--db</c> is a path, never connection-string text, and what it creates is owner-only.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SampleServerDataAtRestTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _directory = Directory.CreateTempSubdirectory("durably-at-rest-").FullName;

    [Fact]
    public async Task DbPathWithSemicolonInMissingFolder_IsOneOwnerOnlyFile()
    {
        // Pasted into "Data Source=…", the ';' would start a Mode option and the server would not start.
        string folder = Path.Combine(_directory, "data");
        string database = Path.Combine(folder, "orders;Mode=Memory.db");
        using var server = new SampleServerProcess(database, Path.Combine(_directory, "side-effects.log"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await server.StartAsync(deadline.Token);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/crash-test/invocations")
        {
            Content = new StringContent("\"x\"", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        using HttpResponseMessage response = await http.SendAsync(request, deadline.Token);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.All(new[] { "", "-wal", "-shm" }, suffix => Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(database + suffix)));
        Assert.Equal(["orders;Mode=Memory.db", "orders;Mode=Memory.db-shm", "orders;Mode=Memory.db-wal"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
