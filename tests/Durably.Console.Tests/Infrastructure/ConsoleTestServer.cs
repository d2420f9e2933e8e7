using Durably.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
    private readonly string _database;

    private ConsoleTestServer(WebApplication app, string database, Uri address)
    {
        _app = app;
        _database = database;
        Address = address;
    }

    /// <summary>The server's root, where the console is: <c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri Address { get; }

    /// <summary>The in-process client of the engine: starts executions and answers callbacks behind the browser's back.</summary>
    public IDurableClient Client => _app.Services.GetRequiredService<IDurableClient>();

    /// <param name="functions">Registers more functions besides the order workflow.</param>
    /// <param name="apiKey">When set, the server requires this API key (Authorization: Bearer).</param>
    public static async Task<ConsoleTestServer> StartAsync(Action<IDurablyBuilder>? functions = null, string? apiKey = null)
    {
        string database = Path.Combine(Path.GetTempPath(), $"durably-console-{Guid.NewGuid():N}.db");
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var workflow = new OrderWorkflow(new SilentApprovalDesk(), new FlakyPaymentGateway(failures: 1), paymentRetryDelay: TimeSpan.FromSeconds(1));
        IDurablyBuilder durably = builder.Services.AddDurably()
            .UseSqlite($"Data Source={database}")
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
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ConsoleTestServer(app, database, new Uri(address + "/"));
    }

    /// <summary>Starts an order (an execution of the order workflow) named <paramref name="name"/>.</summary>
    public async Task<string> StartOrderAsync(string name, decimal amount = 42.5m)
    {
        StartExecutionResult started = await Client.StartAsync(OrderFunction, new OrderEvent(name, amount), name);
        return started.DurableExecutionArn;
    }

    /// <summary>Waits, bounded, until the history of an execution has an event of <paramref name="eventType"/> (for <paramref name="operationName"/>).</summary>
    public async Task<Protocol.HistoryEvent> WaitForEventAsync(string arn, string eventType, string? operationName = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        do
        {
            IReadOnlyList<Protocol.HistoryEvent> history = await Client.GetHistoryAsync(arn, timeout.Token);
            if (history.FirstOrDefault(e => e.EventType == eventType && (operationName is null || e.Name == operationName)) is { } found)
            {
                return found;
            }
        }
        while (await WaitTickAsync(poll, timeout.Token));
        throw new TimeoutException($"No {eventType} event{(operationName is null ? "" : $" for '{operationName}'")} in the history of {arn} within 20 s.");
    }

    private static async Task<bool> WaitTickAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (string suffix in (string[])["", "-wal", "-shm"])
        {
            File.Delete(_database + suffix);
        }
    }

    /// <summary>The approval system of the tests: the approver is the person at the browser.</summary>
    private sealed class SilentApprovalDesk : IApprovalSystem
    {
        public Task RequestApprovalAsync(OrderEvent order, string callbackId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
