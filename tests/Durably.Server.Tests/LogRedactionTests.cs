using System.Net;
using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Durably.Server.Tests;

/// <summary>Callback ids and checkpoint tokens are credentials: the server's logs never carry them, not even for a request that fails.</summary>
public sealed class LogRedactionTests : IDisposable
{
    private const string Token = "secret-checkpoint-token-7f3a9c";

    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task RequestsFailingWithACallbackIdOrACheckpointToken_AreLogged_WithoutThem()
    {
        var logs = new EveryLineLoggerProvider();
        await using DurablyTestServer server = await _database.StartServerAsync(durably => durably.AddTestFunctions(), host: builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
        });
        string arn = await server.Client.StartAsync("approval", "\"x\"");
        string callbackId = await server.CallbackIdAsync(arn);

        // A store that no longer answers makes each request fail unexpectedly, which the server logs as an error.
        await ((IAsyncDisposable)server.Services.GetRequiredService<IExecutionStore>()).DisposeAsync();
        using HttpResponseMessage succeed = await server.Client.PostAsync(ApiRequests.Callback(callbackId, "succeed"), ApiRequests.Raw("\"yes\""));
        using HttpResponseMessage state = await server.Client.GetAsync(ApiRequests.Execution(arn, $"/state?CheckpointToken={Token}"));
        using HttpResponseMessage checkpoint = await server.Client.PostAsync(ApiRequests.Execution(arn, "/checkpoint"), ApiRequests.Raw($$"""{"CheckpointToken":"{{Token}}","Updates":[]}"""));

        Assert.All([succeed, state, checkpoint], response => Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode));
        Assert.Equal(3, logs.Lines.Count(line => line.StartsWith("Durably.Server 4001", StringComparison.Ordinal)));
        Assert.Contains(logs.Lines, line => line.Contains("SendDurableExecutionCallbackSuccess", StringComparison.Ordinal));
        foreach (string secret in (string[])[callbackId, Uri.EscapeDataString(callbackId), Token])
        {
            Assert.DoesNotContain(logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    /// <summary>Every line of every Durably category at every level, and of other categories from Warning, with the exception's text.</summary>
    private sealed class EveryLineLoggerProvider : ILoggerProvider
    {
        private readonly Lock _gate = new();
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_gate)
                {
                    return [.. _lines];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(EveryLineLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => category.StartsWith("Durably", StringComparison.Ordinal) || logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    string line = $"{category} {eventId.Id} {formatter(state, exception)} {exception}";
                    lock (owner._gate)
                    {
                        owner._lines.Add(line);
                    }
                }
            }
        }
    }
}
