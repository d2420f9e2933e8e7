using System.Net;
using System.Text.Json;
using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Durably.Server.Tests;

/// <summary><c>GET /health</c> reports whether the store answers, on a real SQLite file.</summary>
public sealed class HealthTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AStoreThatAnswers_IsHealthy()
    {
        await using DurablyTestServer server = await _database.StartServerAsync(durably => durably.AddTestFunctions());

        JsonElement health = await ApiAssert.JsonAsync(await server.Client.GetAsync("health"));

        Assert.Equal("Healthy", health.GetProperty("Status").GetString());
        Assert.Equal(5, health.GetProperty("Functions").GetInt32());
        Assert.False(health.TryGetProperty("Reason", out _));
    }

    [Fact]
    public async Task AStoreThatNoLongerAnswers_Is503Unhealthy_WithTheReason_AndTheErrorIsLogged()
    {
        var logs = new CapturingLoggerProvider();
        await using DurablyTestServer server = await _database.StartServerAsync(durably => durably.AddTestFunctions(), host: builder => builder.Logging.AddProvider(logs));
        await ((IAsyncDisposable)server.Services.GetRequiredService<IExecutionStore>()).DisposeAsync();

        using HttpResponseMessage response = await server.Client.GetAsync("health");

        JsonElement health = await ApiAssert.JsonAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", health.GetProperty("Status").GetString());
        Assert.Contains("store could not be read", health.GetProperty("Reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", health.GetProperty("Reason").GetString(), StringComparison.Ordinal);
        Assert.Contains(logs.Entries, entry => entry.EventId.Id == 4003 && entry.Level == LogLevel.Error);
    }
}
