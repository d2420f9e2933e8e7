using Durably.Conformance.Handlers;
using Durably.Engine;
using Durably.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Conformance.Runner;

/// <summary>
/// The real engine, wired exactly as an application does (<c>AddDurably().UseInMemoryStore().AddFunction(…)</c>),
/// with a <see cref="FakeTimeProvider"/> the runner moves, a log capture, and the in-process
/// <see cref="IDurableClient"/> from DI.
/// </summary>
public sealed class EngineHost : IConformanceHost
{
    /// <summary>Fake time starts here (any fixed instant works; nothing depends on the wall clock).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly FakeTimeProvider _time;
    private readonly DurableEngine _engine;
    private readonly CapturingLoggerProvider _logs;

    private EngineHost(ServiceProvider services, FakeTimeProvider time, CapturingLoggerProvider logs)
    {
        _services = services;
        _time = time;
        _logs = logs;
        _engine = services.GetRequiredService<DurableEngine>();
        Client = services.GetRequiredService<IDurableClient>();
    }

    public IDurableClient Client { get; }

    public IReadOnlyList<CapturedLog>? Logs => _logs.Lines;

    /// <summary>The engine (for raw-body callbacks, which <see cref="IDurableClient"/> cannot send).</summary>
    public DurableEngine Engine => _engine;

    public static IConformanceHost Create(Action<IFunctionRegistrar> register)
    {
        var time = new FakeTimeProvider(Epoch);
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton<TimeProvider>(time);
        IDurablyBuilder durably = services.AddDurably().UseInMemoryStore();
        register(new Registrar(durably, time, logs));
        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var host = new EngineHost(provider, time, logs);
        host._engine.StartAsync().GetAwaiter().GetResult();
        return host;
    }

    public async Task WaitForIdleAsync(CancellationToken cancellationToken)
    {
        // Idle must hold across a few yields: an invocation finishing may wake the dispatcher again.
        int stable = 0;
        while (stable < 3)
        {
            await _engine.WhenIdleAsync().WaitAsync(cancellationToken);
            await Task.Yield();
            stable = _engine.IsIdle ? stable + 1 : 0;
        }
    }

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

    public Task SendCallbackSuccessRawAsync(string callbackId, string? body, CancellationToken cancellationToken)
        => _engine.SendCallbackSuccessAsync(callbackId, body, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _engine.StopAsync();
        await _services.DisposeAsync();
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
