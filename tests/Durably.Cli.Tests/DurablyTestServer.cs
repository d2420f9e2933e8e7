using Durably.Engine;
using Durably.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Cli.Tests;

/// <summary>
/// The real Durably server — <c>MapDurably()</c> over the in-memory engine — on 127.0.0.1, port 0, serving
/// <see cref="Workflows"/> as <c>order-processor</c>, <c>greeter</c> and <c>payment</c>. Time is fake: it starts at
/// <see cref="Start"/> and moves only when a test calls <see cref="AdvanceAsync"/>.
/// </summary>
public sealed class DurablyTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DurablyTestServer(WebApplication app, Uri url, FakeTimeProvider time)
    {
        _app = app;
        Url = url;
        Time = time;
        Client = app.Services.GetRequiredService<IDurableClient>();
        Engine = app.Services.GetRequiredService<DurableEngine>();
    }

    /// <summary>The server's time when it starts.</summary>
    public static DateTimeOffset Start { get; } = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The server's base URL.</summary>
    public Uri Url { get; }

    /// <summary>The engine's in-process client, for arranging and checking what the CLI did.</summary>
    public IDurableClient Client { get; }

    public DurableEngine Engine { get; }

    /// <summary>The server's clock.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Starts a server; with <paramref name="apiKeys"/> every request must carry one.</summary>
    public static async Task<DurablyTestServer> StartAsync(params string[] apiKeys)
    {
        var time = new FakeTimeProvider(Start);
        WebApplicationBuilder builder = LoopbackApp.CreateBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
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
        return new DurablyTestServer(app, await LoopbackApp.StartAsync(app), time);
    }

    /// <summary>Moves the server's time and waits until the engine has done what became due.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        Engine.Wake();
        await Engine.WaitUntilIdleAsync();
    }

    /// <summary>Runs the greeter for Ada (execution name greet-1) to its end; returns its ARN.</summary>
    public async Task<string> GreetAdaAsync()
    {
        StartExecutionResult started = await Client.StartAsync("greeter", new Greeting("Ada"), "greet-1");
        await Client.WaitForResultAsync<string>(started.DurableExecutionArn);
        return started.DurableExecutionArn;
    }

    /// <summary>Starts an order and waits until it asks for approval; returns its ARN and callback id.</summary>
    public async Task<(string Arn, string CallbackId)> StartOrderAwaitingApprovalAsync(string name, decimal amount = 42.5m)
    {
        StartExecutionResult started = await Client.StartAsync("order-processor", new Order(name, amount), name);
        HistoryEvent callback = await WaitForEventAsync(started.DurableExecutionArn, HistoryEventTypes.CallbackStarted);
        return (started.DurableExecutionArn, callback.Details.CallbackId!);
    }

    /// <summary>Waits until the engine is idle, then returns the execution's first event of <paramref name="eventType"/>.</summary>
    public async Task<HistoryEvent> WaitForEventAsync(string arn, string eventType)
    {
        await Engine.WaitUntilIdleAsync();
        IReadOnlyList<HistoryEvent> history = await Engine.HistoryAsync(arn);
        return history.FirstOrDefault(e => e.EventType == eventType)
            ?? throw new InvalidOperationException($"The engine is idle and the history has no {eventType}: {string.Join(", ", history.Select(e => e.EventType))}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
