using Durably.Engine;
using Durably.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        services(builder.Services);
        WebApplication app = builder.Build();
        map(app);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TestServer(app, new Uri(address + "/"));
    }

    /// <summary>Waits until no invocation runs and nothing due is left.</summary>
    public Task IdleAsync() => Engine.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));

    public async Task<IReadOnlyList<HistoryEvent>> HistoryAsync(string arn) => (await Engine.GetHistoryAsync(arn)).Events;

    /// <summary>The errors of the execution's failed invocations, in order.</summary>
    public async Task<IReadOnlyList<ErrorObject>> InvocationErrorsAsync(string arn) =>
        [.. (await HistoryAsync(arn))
            .Where(e => e.EventType == HistoryEventTypes.InvocationCompleted && e.Details.Error?.Payload is not null)
            .Select(e => e.Details.Error!.Payload!)];

    /// <summary>The execution's callback id, once its invocation has suspended.</summary>
    public async Task<string> CallbackIdAsync(string arn)
    {
        await IdleAsync();
        IReadOnlyList<Operation> operations = await Engine.GetOperationsAsync(arn);
        Operation? callback = operations.SingleOrDefault(operation => operation.Type == OperationType.Callback);
        if (callback is null)
        {
            IEnumerable<string> events = (await HistoryAsync(arn)).Select(e => $"{e.EventType} {e.Details.Error?.Payload?.ErrorMessage}");
            Assert.Fail($"The execution has no callback. History: {string.Join(" | ", events)}");
        }

        return callback.CallbackDetails!.CallbackId!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
