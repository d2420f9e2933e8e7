using Durably.Engine;
using Durably.Protocol;
using Durably.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Worker.Tests.Infrastructure;

/// <summary>A Kestrel app on 127.0.0.1 with an OS-assigned port: a Durably server, or a worker.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The base URL, ending in <c>/</c>.</summary>
    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public DurableEngine Engine => _app.Services.GetRequiredService<DurableEngine>();

    public IDurableClient Client => _app.Services.GetRequiredService<IDurableClient>();

    /// <summary>A Durably server on the in-memory store and <paramref name="time"/>.</summary>
    public static Task<TestServer> StartDurablyAsync(FakeTimeProvider time, Action<IDurablyBuilder> configure, Action<DurablyServerOptions>? server = null) =>
        StartAsync(services =>
        {
            services.AddSingleton<TimeProvider>(time);
            configure(services.AddDurably().UseInMemoryStore());
        }, app => app.MapDurably(server));

    /// <summary>An app mapping <paramref name="map"/> (a worker, or a fake of one).</summary>
    public static Task<TestServer> StartAppAsync(Action<WebApplication> map) => StartAsync(_ => { }, map);

    private static async Task<TestServer> StartAsync(Action<IServiceCollection> services, Action<WebApplication> map)
    {
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        services(builder.Services);
        WebApplication app = builder.Build();
        map(app);
        return new TestServer(app, await LoopbackApp.StartAsync(app));
    }

    /// <summary>Waits until no invocation runs and nothing due is left.</summary>
    public Task IdleAsync() => Engine.WaitUntilIdleAsync();

    public Task<IReadOnlyList<HistoryEvent>> HistoryAsync(string arn) => Engine.HistoryAsync(arn);

    /// <summary>The errors of the execution's failed invocations, in order.</summary>
    public Task<IReadOnlyList<ErrorObject>> InvocationErrorsAsync(string arn) => Engine.InvocationErrorsAsync(arn);

    /// <summary>The execution's callback id, once its invocation has suspended.</summary>
    public Task<string> CallbackIdAsync(string arn) => Engine.CallbackIdAsync(arn);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
