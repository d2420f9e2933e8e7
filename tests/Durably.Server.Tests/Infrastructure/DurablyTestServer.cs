using Durably.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Server.Tests.Infrastructure;

/// <summary>A real Kestrel on 127.0.0.1 with an OS-assigned port, the engine on the in-memory store, and a client of it.</summary>
public sealed class DurablyTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DurablyTestServer(WebApplication app, Uri address, FakeTimeProvider? time)
    {
        _app = app;
        Address = address;
        Time = time;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public FakeTimeProvider? Time { get; }

    public DurableEngine Engine => _app.Services.GetRequiredService<DurableEngine>();

    public IServiceProvider Services => _app.Services;

    public static async Task<DurablyTestServer> StartAsync(
        Action<IDurablyBuilder> configure, Action<DurablyServerOptions>? server = null, FakeTimeProvider? time = null,
        Action<WebApplicationBuilder>? host = null, Action<DurablyOptions>? engine = null)
    {
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        host?.Invoke(builder);
        if (time is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(time);
        }

        configure(builder.Services.AddDurably(engine).UseInMemoryStore());
        WebApplication app = builder.Build();
        app.MapDurably(server);
        return new DurablyTestServer(app, await LoopbackApp.StartAsync(app), time);
    }

    /// <summary>Waits until no invocation runs and nothing due is left (the engine cannot move without a trigger).</summary>
    public Task IdleAsync() => Engine.WaitUntilIdleAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
