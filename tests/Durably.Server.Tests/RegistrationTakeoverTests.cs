using System.Net;
using Durably.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Durably.Server.Tests;

/// <summary>
/// A run-time registration cannot take over a function registered in code, and a saved registration must pass the
/// rules of the server that loads it, not those of the server that saved it.
/// </summary>
public sealed class RegistrationTakeoverTests : IDisposable
{
    private const string AdminKey = "admin-key-0123456789-0123456789-01";

    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task RegisteringANewVersionOfACodeFunction_Is409_AndLatestStaysTheCode()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());

        using HttpResponseMessage takeover = await server.Client.PostRawAsync("durably/functions", """{"FunctionName":"echo","Url":"http://127.0.0.1:1/","Version":"99"}""");

        Assert.Contains("echo is registered in code", await ApiAssert.ErrorAsync(takeover, HttpStatusCode.Conflict, "ResourceConflictException"), StringComparison.Ordinal);
        Assert.Null(server.Engine.Functions.Find("echo", "99"));
        Assert.NotEqual("99", server.Engine.Functions.Resolve("echo").Version);
    }

    [Fact]
    public async Task SavedRegistration_OfAHostTheServerNoLongerAllows_IsNotRegistered_IsLogged_AndKept()
    {
        await using (DurablyTestServer keyless = await _database.StartServerAsync())
        {
            // A keyless server accepts loopback endpoints; a server with keys accepts only its listed hosts.
            using HttpResponseMessage created = await keyless.Client.PostRawAsync("durably/functions", """{"FunctionName":"remote","Url":"http://127.0.0.1:1/a"}""");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var logs = new CapturingLoggerProvider();
        await using (DurablyTestServer keyed = await _database.StartServerAsync(host: builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Durably:Server:ApiKeys:0"] = AdminKey });
            builder.Logging.AddProvider(logs);
        }))
        {
            Assert.Empty(keyed.Engine.Functions.GetAll());
            (LogLevel level, _, string message) = Assert.Single(logs.Entries, entry => entry.EventId.Id == 1010);
            Assert.Equal(LogLevel.Warning, level);
            Assert.Contains("function remote version 1 is not registered: Url host '127.0.0.1' is not allowed", message, StringComparison.Ordinal);
        }

        await using DurablyTestServer keylessAgain = await _database.StartServerAsync();
        Assert.NotNull(keylessAgain.Engine.Functions.Find("remote", "1"));
    }
}
