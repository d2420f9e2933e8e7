using System.Diagnostics;
using Durably.Protocol;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Durably.OtelConformance;

/// <summary>Every log line of an invocation carries the execution ARN and the trace id in its scope.</summary>
[Collection(SpanCollection.Name)]
public sealed class LogScopeTests
{
    private const string Arn = "arn:aws:lambda:local:000000000000:function:logged:1/durable-execution/e1/i1";

    [Fact]
    public async Task A_context_log_line_carries_the_execution_arn_and_the_invocation_trace_id()
    {
        using var spans = new SpanCapture();
        var scopes = new ScopeCapture();
        using ILoggerFactory loggers = LoggerFactory.Create(logging => logging.AddProvider(scopes));
        // The function returns without checkpointing, so the client's server is never called.
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") };
        var input = new DurableExecutionInvocationInput
        {
            DurableExecutionArn = Arn,
            CheckpointToken = "token-1",
            InitialExecutionState = new InitialExecutionState
            {
                Operations = [new Operation { Id = "execution", Type = OperationType.Execution, Status = OperationStatus.Started, ExecutionDetails = new ExecutionDetails { InputPayload = "null" } }],
            },
        };

        DurableExecutionInvocationOutput output = await DurableFunction.WrapAsync<object?, string>((_, context) =>
        {
            context.Logger.LogInformation("processing");
            return Task.FromResult("ok");
        }, input, new HttpDurableExecutionClient(http), new DurableFunctionOptions { LoggerFactory = loggers });

        Assert.Equal(InvocationStatus.Succeeded, output.Status);
        Activity invocation = Assert.Single(spans.Stopped, a => a.DisplayName == "Invocation");
        Dictionary<string, object?> scope = Assert.Single(scopes.ScopesOfLines);
        Assert.Equal(Arn, scope["DurableExecutionArn"]);
        Assert.Equal(invocation.TraceId.ToHexString(), scope["TraceId"]);
    }

    /// <summary>Records the key-value scope active at each log line.</summary>
    private sealed class ScopeCapture : ILoggerProvider, ILogger
    {
        private readonly AsyncLocal<Dictionary<string, object?>?> _current = new();

        public List<Dictionary<string, object?>> ScopesOfLines { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            Dictionary<string, object?>? previous = _current.Value;
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                _current.Value = new Dictionary<string, object?>(previous ?? []);
                foreach (KeyValuePair<string, object?> pair in pairs)
                {
                    _current.Value[pair.Key] = pair.Value;
                }
            }

            return new Restore(() => _current.Value = previous);
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (ScopesOfLines)
            {
                ScopesOfLines.Add(new Dictionary<string, object?>(_current.Value ?? []));
            }
        }

        public void Dispose()
        {
        }

        private sealed class Restore(Action restore) : IDisposable
        {
            public void Dispose() => restore();
        }
    }
}
