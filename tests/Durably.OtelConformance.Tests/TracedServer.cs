using Durably.Engine;
using Durably.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Durably.OtelConformance;

/// <summary>A real Durably server for a span test: Kestrel on 127.0.0.1, the engine on a temporary SQLite file.</summary>
public sealed class TracedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;
    private readonly TempSqliteFile _database;

    private TracedServer(WebApplication app, HttpClient http, TempSqliteFile database)
    {
        _app = app;
        _http = http;
        _database = database;
        Client = new DurableHttpClient(http);
        Engine = app.Services.GetRequiredService<DurableEngine>();
    }

    public DurableHttpClient Client { get; }

    public DurableEngine Engine { get; }

    /// <summary>The server's base address on loopback.</summary>
    public Uri Address => _http.BaseAddress!;

    /// <summary>Starts a server with the functions <paramref name="register"/> adds, on <paramref name="time"/> when given.</summary>
    public static async Task<TracedServer> StartAsync(Action<IDurablyBuilder> register, TimeProvider? time = null)
    {
        var database = new TempSqliteFile();
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        register(builder.Services.AddDurably().UseSqlite(database.ConnectionString));
        WebApplication app = builder.Build();
        app.MapDurably();
        var http = new HttpClient { BaseAddress = await LoopbackApp.StartAsync(app), Timeout = TimeSpan.FromSeconds(30) };
        return new TracedServer(app, http, database);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _database.Delete();
    }
}
