using Microsoft.Extensions.Logging;

namespace Durably.Tests;

internal static class LoggerExtensions
{
#pragma warning disable CA2254 // test helper
    public static void LogLine(this ILogger logger, string message) => logger.Log(LogLevel.Information, message);
#pragma warning restore CA2254
}

/// <summary>Collects formatted log lines (with their scopes discarded) into a list.</summary>
internal sealed class ListLoggerFactory(List<string> lines) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider) { }

    public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

    public void Dispose() { }

    private sealed class ListLogger(List<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add(formatter(state, exception));
            }
        }
    }
}
