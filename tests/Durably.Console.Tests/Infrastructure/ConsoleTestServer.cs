using Durably.Engine;
using Durably.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrderProcessing;

namespace Durably.Console.Tests.Infrastructure;

/// <summary>
/// A real Durably server for the browser: Kestrel on 127.0.0.1 (port 0), a temporary SQLite file, the order workflow of
/// samples/OrderProcessing (payment fails once, retried after 1 s) and the test's own functions; the console at its root.
/// </summary>
public sealed class ConsoleTestServer : IAsyncDisposable
{
    public const string OrderFunction = "order-processor";

    private readonly WebApplication _app;
    private readonly TempSqliteFile _database;

    private ConsoleTestServer(WebApplication app, TempSqliteFile database, Uri address)
    {
        _app = app;
        _database = database;
        Address = address;
    }

    /// <summary>The server's root, where the console is: <c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The in-process client of the engine: starts executions and answers callbacks behind the browser's back.</summary>
    public IDurableClient Client => _app.Services.GetRequiredService<IDurableClient>();

    private DurableEngine Engine => _app.Services.GetRequiredService<DurableEngine>();

    /// <param name="functions">Registers more functions besides the order workflow.</param>
    /// <param name="apiKey">When set, the server requires this API key (Authorization: Bearer).</param>
    public static async Task<ConsoleTestServer> StartAsync(Action<IDurablyBuilder>? functions = null, string? apiKey = null)
    {
        var database = new TempSqliteFile();
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        var workflow = new OrderWorkflow(new SilentApprovalDesk(), new FlakyPaymentGateway(failures: 1), paymentRetryDelay: TimeSpan.FromSeconds(1));
        IDurablyBuilder durably = builder.Services.AddDurably()
            .UseSqlite(database.ConnectionString)
            .AddFunction<OrderEvent, OrderResult>(OrderFunction, workflow.HandleAsync, function => function.Version = "1");
        functions?.Invoke(durably);
        WebApplication app = builder.Build();
        app.MapDurably(options =>
        {
            if (apiKey is not null)
            {
                options.ApiKeys.Add(apiKey);
            }
        });
        return new ConsoleTestServer(app, database, await LoopbackApp.StartAsync(app));
    }

    /// <summary>Starts an order (an execution of the order workflow) named <paramref name="name"/>.</summary>
    public async Task<string> StartOrderAsync(string name, decimal amount = 42.5m)
    {
        StartExecutionResult started = await Client.StartAsync(OrderFunction, new OrderEvent(name, amount), name);
        return started.DurableExecutionArn;
    }

    /// <summary>
    /// Waits, at most 20 s, until the history of an execution has an event of <paramref name="eventType"/> (for
    /// <paramref name="operationName"/>): the history is read again after each commit the engine's change feed reports.
    /// </summary>
    public async Task<Protocol.HistoryEvent> WaitForEventAsync(string arn, string eventType, string? operationName = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using ExecutionChangeSubscription changes = Engine.Changes.Subscribe(ExecutionChangeFilter.Create(null, null, arn));
        try
        {
            while (true)
            {
                IReadOnlyList<Protocol.HistoryEvent> history = await Client.GetHistoryAsync(arn, timeout.Token);
                if (history.FirstOrDefault(e => e.EventType == eventType && (operationName is null || e.Name == operationName)) is { } found)
                {
                    return found;
                }

                await changes.ReadAsync(TimeSpan.FromSeconds(20), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No {eventType} event{(operationName is null ? "" : $" for '{operationName}'")} in the history of {arn} within 20 s.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _database.Delete();
    }

    /// <summary>The approval system of the tests: the approver is the person at the browser.</summary>
    private sealed class SilentApprovalDesk : IApprovalSystem
    {
        public Task RequestApprovalAsync(OrderEvent order, string callbackId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
