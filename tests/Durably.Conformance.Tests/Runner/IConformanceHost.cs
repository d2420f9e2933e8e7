using Microsoft.Extensions.Logging;

namespace Durably.Conformance.Runner;

/// <summary>
/// Where a requirement runs: an engine with its client and a fake clock the runner drives. The runner
/// never sleeps; "wait N seconds" is <see cref="AdvanceAsync"/>.
/// </summary>
public interface IConformanceHost : IAsyncDisposable
{
    /// <summary>The client the runner starts, observes and answers executions with.</summary>
    IDurableClient Client { get; }

    /// <summary>Returns once no invocation is running or runnable at the current (fake) time.</summary>
    Task WaitForIdleAsync(CancellationToken cancellationToken);

    /// <summary>Moves the fake clock forward, firing whatever timers fall due.</summary>
    Task AdvanceAsync(TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Moves the fake clock to the next pending timer; false when no timer is pending.</summary>
    Task<bool> AdvanceToNextTimerAsync(CancellationToken cancellationToken);

    /// <summary>The function log lines captured so far, or null when this host cannot capture them.</summary>
    IReadOnlyList<CapturedLog>? Logs { get; }

    /// <summary>
    /// Answers a callback with success, the body sent byte for byte (<see cref="IDurableClient"/> only takes a
    /// value it serializes itself, and AWS's runner sends <c>json.dumps(Payload)</c> with Python's separators).
    /// </summary>
    Task SendCallbackSuccessRawAsync(string callbackId, string? body, CancellationToken cancellationToken);
}

/// <summary>Registers the functions a requirement needs (its handler and any invoke targets).</summary>
public interface IFunctionRegistrar
{
    void AddFunction<TInput, TOutput>(string name, Func<TInput, IDurableContext, Task<TOutput>> handler);

    /// <summary>Registers a function whose steps may call <c>InvocationCrash.CrashAsync</c> (process.exit).</summary>
    void AddCrashAwareFunction<TInput, TOutput>(string name, Func<TInput, IDurableContext, Task<TOutput>> handler);
}

/// <summary>One captured log line of a durable function.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message)
{
    /// <summary>The line as matched by ExpectedLogs: <c>[LEVEL] message</c>.</summary>
    public string Line => $"[{LevelName(Level)}] {Message}";

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "FATAL",
        _ => "NONE",
    };
}

/// <summary>An <see cref="ILoggerProvider"/> that keeps every line of the <c>Durably.Function.*</c> categories.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<CapturedLog> _lines = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<CapturedLog> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(CapturedLog line)
    {
        lock (_gate)
        {
            _lines.Add(line);
        }
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (category.StartsWith("Durably.Function", StringComparison.Ordinal))
            {
                owner.Add(new CapturedLog(category, logLevel, formatter(state, exception)));
            }
        }
    }
}
