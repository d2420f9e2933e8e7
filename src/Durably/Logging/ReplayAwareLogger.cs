using Microsoft.Extensions.Logging;

namespace Durably.Logging;

/// <summary>
/// Wraps a logger: silent while <paramref name="isReplaying"/> says the code is replaying
/// (unless mode-aware logging is off), and every entry carries a scope with the execution
/// ARN and, for steps, the operation id, name and attempt.
/// </summary>
internal sealed class ReplayAwareLogger(ILogger inner, Func<bool> isReplaying, bool modeAware, IReadOnlyList<KeyValuePair<string, object?>> scope) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => (!modeAware || !isReplaying()) && inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        using IDisposable? _ = inner.BeginScope(scope);
        inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
