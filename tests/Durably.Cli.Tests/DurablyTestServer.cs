using System.Net;
using Durably.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Durably.Cli.Tests;

/// <summary>
/// The real Durably server — <c>MapDurably()</c> over the in-memory engine — on 127.0.0.1, port 0, serving
/// <see cref="Workflows"/> as <c>order-processor</c>, <c>greeter</c> and <c>payment</c>.
/// </summary>
public sealed class DurablyTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DurablyTestServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
        Client = app.Services.GetRequiredService<IDurableClient>();
    }

    /// <summary>The server's base URL.</summary>
    public Uri Url { get; }

    /// <summary>The engine's in-process client, for arranging and checking what the CLI did.</summary>
    public IDurableClient Client { get; }

    /// <summary>Starts a server; with <paramref name="apiKeys"/> every request must carry one.</summary>
    public static async Task<DurablyTestServer> StartAsync(params string[] apiKeys)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddDurably()
            .UseInMemoryStore()
            .AddFunction<Order, OrderOutcome>("order-processor", Workflows.ProcessOrderAsync)
            .AddFunction<Greeting, string>("greeter", Workflows.GreetAsync, function => function.ExecutionTimeout = TimeSpan.FromHours(1))
            .AddFunction<Order, string>("payment", Workflows.DeclineAsync)
            .ConfigureServer(options =>
            {
                foreach (string key in apiKeys)
                {
                    options.ApiKeys.Add(key);
                }
            });
        WebApplication app = builder.Build();
        app.MapDurably();
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DurablyTestServer(app, new Uri(address));
    }

    /// <summary>Starts an order and waits until it asks for approval; returns its ARN and callback id.</summary>
    public async Task<(string Arn, string CallbackId)> StartOrderAwaitingApprovalAsync(string name, decimal amount = 42.5m)
    {
        StartExecutionResult started = await Client.StartAsync("order-processor", new Order(name, amount), name);
        HistoryEvent callback = await WaitForEventAsync(started.DurableExecutionArn, HistoryEventTypes.CallbackStarted);
        return (started.DurableExecutionArn, callback.Details.CallbackId!);
    }

    /// <summary>Waits (at most 10 s) until the execution's history has an event of <paramref name="eventType"/>.</summary>
    public async Task<HistoryEvent> WaitForEventAsync(string arn, string eventType)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            IReadOnlyList<HistoryEvent> history = await Client.GetHistoryAsync(arn, timeout.Token);
            if (history.FirstOrDefault(e => e.EventType == eventType) is { } found)
            {
                return found;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
