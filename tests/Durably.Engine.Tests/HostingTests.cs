using Durably.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Engine.Tests;

public sealed class HostingTests
{
    private static async Task<(ServiceProvider Services, IHostedService Host)> StartAsync(Action<IDurablyBuilder> configure, FakeTimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton<TimeProvider>(time);
        }

        configure(services.AddDurably(options => options.Region = "eu-test-1").UseInMemoryStore());
        ServiceProvider provider = services.BuildServiceProvider();
        IHostedService host = provider.GetServices<IHostedService>().Single();
        await host.StartAsync(CancellationToken.None);
        return (provider, host);
    }

    [Fact]
    public async Task AddFunction_RunsACSharpWorkflowThroughTheInProcessClient()
    {
        (ServiceProvider services, IHostedService host) = await StartAsync(durably =>
            durably.AddFunction<int, int>("square", async (value, context) => await context.StepAsync((_, _) => Task.FromResult(value * value), "square")));
        await using ServiceProvider scope = services;
        IDurableClient client = services.GetRequiredService<IDurableClient>();

        StartExecutionResult started = await client.StartAsync("square", 7, "sq-7");
        int result = await client.WaitForResultAsync<int>(started.DurableExecutionArn).WaitAsync(TimeSpan.FromSeconds(10));
        StartExecutionResult again = await client.StartAsync("square", 7, "sq-7");
        IReadOnlyList<HistoryEvent> history = await client.GetHistoryAsync(started.DurableExecutionArn);
        await host.StopAsync(CancellationToken.None);

        Assert.Equal(49, result);
        Assert.True(again.AlreadyExisted);
        Assert.StartsWith("arn:aws:lambda:eu-test-1:000000000000:function:square:1/durable-execution/sq-7/", started.DurableExecutionArn, StringComparison.Ordinal);
        Assert.Equal(HistoryEventTypes.ExecutionSucceeded, history[^1].EventType);
    }

    [Fact]
    public async Task WaitForResult_FailedExecution_ThrowsDurableExecutionFailedException()
    {
        (ServiceProvider services, IHostedService host) = await StartAsync(durably =>
            durably.AddFunction<int>("fails", (_, _) => throw new InvalidOperationException("nope")));
        await using ServiceProvider scope = services;
        IDurableClient client = services.GetRequiredService<IDurableClient>();

        StartExecutionResult started = await client.StartAsync("fails", 1);
        DurableExecutionFailedException error = await Assert.ThrowsAsync<DurableExecutionFailedException>(() =>
            client.WaitForResultAsync<int>(started.DurableExecutionArn).WaitAsync(TimeSpan.FromSeconds(10)));
        await host.StopAsync(CancellationToken.None);

        Assert.Equal(ExecutionStatus.Failed, error.Status);
        Assert.Contains("nope", error.Error!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_CapturesExecutionTimeoutAndRetention_AndVersion()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        (ServiceProvider services, IHostedService host) = await StartAsync(durably => durably.AddFunction<int, int>("f", async (value, context) =>
        {
            await context.WaitAsync(TimeSpan.FromDays(1));
            return value;
        }, function =>
        {
            function.Version = "7";
            function.ExecutionTimeout = TimeSpan.FromHours(2);
            function.RetentionPeriodInDays = 30;
        }), time);
        await using ServiceProvider scope = services;
        IDurableClient client = services.GetRequiredService<IDurableClient>();

        StartExecutionResult started = await client.StartAsync("f", 1);
        DurableExecutionDescription execution = await client.GetExecutionAsync(started.DurableExecutionArn);
        await host.StopAsync(CancellationToken.None);

        Assert.Equal("7", execution.Version);
        Assert.Equal(new DurableConfig { ExecutionTimeout = 7200, RetentionPeriodInDays = 30 }, execution.DurableConfig);
    }

    [Theory]
    [InlineData(0, 14)]
    [InlineData(3600, 0)]
    [InlineData(3600, 91)]
    public void Registration_OutOfRange_IsRejectedAtRegistration(int timeoutSeconds, int retentionDays)
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentOutOfRangeException>(() => services.AddDurably().AddFunction<int, int>("f", (v, _) => Task.FromResult(v), function =>
        {
            function.ExecutionTimeout = TimeSpan.FromSeconds(timeoutSeconds);
            function.RetentionPeriodInDays = retentionDays;
        }));
    }

    [Fact]
    public void NoStore_FailsWithAClearMessage()
    {
        var services = new ServiceCollection();
        services.AddDurably();
        using ServiceProvider provider = services.BuildServiceProvider();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<DurableEngine>());

        Assert.Contains("UseInMemoryStore", error.Message, StringComparison.Ordinal);
    }
}
