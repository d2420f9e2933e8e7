namespace Durably.Cli.Tests;

public sealed record Order(string OrderId, decimal Amount);

public sealed record Approval(bool Approved);

public sealed record OrderOutcome(string OrderId, string Status);

public sealed record Greeting(string Name);

/// <summary>The durable functions the test server runs.</summary>
public static class Workflows
{
    /// <summary>Validates, waits for an approval callback, then ships (or rejects) the order.</summary>
    public static async Task<OrderOutcome> ProcessOrderAsync(Order order, IDurableContext context)
    {
        bool valid = await context.StepAsync((_, _) => Task.FromResult(order.Amount > 0), "validate-order");
        if (!valid)
        {
            throw new ArgumentException($"order {order.OrderId} has no amount");
        }

        ICallback<Approval> approval = await context.CreateCallbackAsync<Approval>(
            "awaiting-approval", new CallbackConfig { Timeout = TimeSpan.FromHours(1), HeartbeatTimeout = TimeSpan.FromMinutes(30) });
        Approval decision = await approval.GetResultAsync();
        return await context.StepAsync(
            (_, _) => Task.FromResult(new OrderOutcome(order.OrderId, decision.Approved ? "shipped" : "rejected")), "process-order");
    }

    /// <summary>Finishes in one invocation.</summary>
    public static Task<string> GreetAsync(Greeting greeting, IDurableContext context)
        => context.StepAsync((_, _) => Task.FromResult($"Hello, {greeting.Name}!"), "greet");

    /// <summary>Always fails, without retries.</summary>
    public static Task<string> DeclineAsync(Order order, IDurableContext context)
        => throw new InvalidOperationException($"card expired for {order.OrderId}");
}
