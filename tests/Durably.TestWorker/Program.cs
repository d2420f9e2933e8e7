// One invocation of the "order" workflow in a separate process: reads the invocation envelope
// (PROTOCOL.md §2.10) as JSON from stdin, runs the workflow with DurableFunction.WrapAsync,
// checkpointing through HttpDurableExecutionClient against the server URL given as the first
// argument, and prints the invocation output JSON on stdout. No engine, no in-process shortcut.
// With "hang" as the second argument it runs HangingWorkflow instead, whose step body never ends
// (the test kills the process mid-body).
using System.Text.Json;
using Durably;
using Durably.Protocol;

if (args.Length is not (1 or 2) || (args.Length == 2 && args[1] != "hang"))
{
    await Console.Error.WriteLineAsync("usage: Durably.TestWorker <server-url> [hang]");
    return 2;
}

DurableExecutionInvocationInput envelope = JsonSerializer.Deserialize<DurableExecutionInvocationInput>(
    await Console.In.ReadToEndAsync(), DurablyJson.Envelope)
    ?? throw new InvalidOperationException("stdin held no invocation envelope.");
using var http = new HttpClient { BaseAddress = new Uri(args[0]) };
DurableExecutionInvocationOutput output = args.Length == 2
    ? await DurableFunction.WrapAsync<string, string>(HangingWorkflow.RunAsync, envelope, new HttpDurableExecutionClient(http))
    : await DurableFunction.WrapAsync<OrderInput, OrderOutput>(OrderWorkflow.RunAsync, envelope, new HttpDurableExecutionClient(http));
Console.Out.Write(JsonSerializer.Serialize(output, DurablyJson.Envelope));
return 0;

internal sealed record OrderInput(string OrderId, int Quantity);

internal sealed record OrderOutput(string OrderId, int Total, string Approval, int ProcessId);

internal static class OrderWorkflow
{
    /// <summary>Two steps, then a callback answered from outside: at least two invocations, so two processes.</summary>
    public static async Task<OrderOutput> RunAsync(OrderInput input, IDurableContext context)
    {
        int total = await context.StepAsync((_, _) => Task.FromResult(input.Quantity * 10), "price");
        int processId = await context.StepAsync((_, _) => Task.FromResult(Environment.ProcessId), "first-process");
        string approval = await context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "approval");
        return new OrderOutput(input.OrderId, total, approval, processId);
    }
}

internal static class HangingWorkflow
{
    /// <summary>A child context whose step body never ends: the process is killed while it runs.</summary>
    public static Task<string> RunAsync(string input, IDurableContext context) =>
        context.RunInChildContextAsync((child, cancellationToken) => child.StepAsync(
            async (_, _) =>
            {
                await new TaskCompletionSource().Task;
                return input;
            }, "endless", cancellationToken: cancellationToken), "phase");
}
