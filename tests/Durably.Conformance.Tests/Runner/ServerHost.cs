using System.Text;
using Durably.Conformance.Handlers;
using Durably.Engine;
using Durably.Protocol;
using Durably.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Conformance.Runner;

/// <summary>
/// A real Durably server: Kestrel on 127.0.0.1 (port 0) serving <c>MapDurably()</c>, the engine on a
/// temporary SQLite file or a PostgreSQL schema of its own (<see cref="ConformanceStore"/>), wired exactly as an
/// application does (<c>AddDurably().UseSqlite(…).AddFunction(…)</c>, <c>UsePostgres(…)</c>).
/// The runner starts, observes and answers executions only through the REST API (<see cref="DurableHttpClient"/>
/// and raw callback requests); it reaches into the process only to move the <see cref="FakeTimeProvider"/> and
/// to know when the engine is idle.
/// </summary>
public sealed class ServerHost : IConformanceHost
{
    /// <summary>Fake time starts here (any fixed instant works; nothing depends on the wall clock).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private readonly FakeTimeProvider _time;
    private readonly DurableEngine _engine;
    private readonly CapturingLoggerProvider _logs;
    private readonly HttpClient _http;
    private readonly Func<Task> _deleteStore;

    private ServerHost(WebApplication app, Uri address, FakeTimeProvider time, CapturingLoggerProvider logs, Func<Task> deleteStore)
    {
        _app = app;
        _time = time;
        _logs = logs;
        _deleteStore = deleteStore;
        _engine = app.Services.GetRequiredService<DurableEngine>();
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Client = new DurableHttpClient(_http);
    }

    public IDurableClient Client { get; }

    public IReadOnlyList<CapturedLog>? Logs => _logs.Lines;

    public static async Task<IConformanceHost> StartAsync(Action<IFunctionRegistrar> register, ConformanceStore store = ConformanceStore.Sqlite)
    {
        var time = new FakeTimeProvider(Epoch);
        var logs = new CapturingLoggerProvider();
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.Services.AddSingleton<TimeProvider>(time);
        IDurablyBuilder durably = builder.Services.AddDurably();
        Func<Task> deleteStore;
        if (store == ConformanceStore.Postgres)
        {
            var schema = new TempPostgresSchema();
            durably.UsePostgres(schema.ConnectionString);
            deleteStore = schema.DropAsync;
        }
        else
        {
            var database = new TempSqliteFile();
            durably.UseSqlite(database.ConnectionString);
            deleteStore = () =>
            {
                database.Delete();
                return Task.CompletedTask;
            };
        }

        register(new Registrar(durably, time, logs));
        WebApplication app = builder.Build();
        app.MapDurably();
        return new ServerHost(app, await LoopbackApp.StartAsync(app), time, logs, deleteStore);
    }

    public Task WaitForIdleAsync(CancellationToken cancellationToken) => _engine.WaitUntilIdleAsync(cancellationToken);

    public async Task AdvanceAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        _time.Advance(duration);
        _engine.Wake();
        await WaitForIdleAsync(cancellationToken);
    }

    public async Task<bool> AdvanceToNextTimerAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? next = await _engine.GetNextDueTimeAsync(cancellationToken);
        if (next is not { } dueAt)
        {
            return false;
        }

        if (dueAt > _time.GetUtcNow())
        {
            _time.SetUtcNow(dueAt);
        }

        _engine.Wake();
        await WaitForIdleAsync(cancellationToken);
        return true;
    }

    public async Task SendCallbackSuccessRawAsync(string callbackId, string? body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body ?? "", Encoding.UTF8, "application/octet-stream");
        using HttpResponseMessage response = await _http.PostAsync(
            $"2025-12-01/durable-execution-callbacks/{Uri.EscapeDataString(callbackId)}/succeed", content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _deleteStore();
    }

    /// <summary>Registers functions through the public builder; crash-aware ones through AddRawFunction.</summary>
    private sealed class Registrar(IDurablyBuilder builder, TimeProvider time, CapturingLoggerProvider logs) : IFunctionRegistrar
    {
        private readonly ILoggerFactory _loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));

        public void AddFunction<TInput, TOutput>(string name, Func<TInput, IDurableContext, Task<TOutput>> handler)
            => builder.AddFunction(name, handler);

        public void AddCrashAwareFunction<TInput, TOutput>(string name, Func<TInput, IDurableContext, Task<TOutput>> handler)
        {
            InvocationHandler inner = FunctionHandlers.Durable(name, handler, loggerFactory: _loggerFactory, timeProvider: time);
            Func<DurableExecutionInvocationInput, IDurableExecutionClient, CancellationToken, Task<DurableExecutionInvocationOutput>> wrapped =
                InvocationCrash.Wrap<DurableExecutionInvocationInput, DurableExecutionInvocationOutput>((input, client, token) => inner(input, client, token));
            builder.AddRawFunction(name, (input, client, token) => wrapped(input, client, token));
        }
    }
}
