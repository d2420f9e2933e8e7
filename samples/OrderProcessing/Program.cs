using Durably;
using Durably.Engine;
using Durably.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderProcessing;

// One order, end to end, in process: the engine on the in-memory store, real time.
// The payment gateway fails once, so process-order is retried after 1 s.
var approvals = new ApprovalInbox();
var workflow = new OrderWorkflow(approvals, new FlakyPaymentGateway(failures: 1), paymentRetryDelay: TimeSpan.FromSeconds(1));

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
builder.Services.AddDurably()
    .UseInMemoryStore()
    .AddFunction<OrderEvent, OrderResult>("order-processor", workflow.HandleAsync);
using IHost host = builder.Build();
await host.StartAsync();

using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
IDurableClient client = host.Services.GetRequiredService<IDurableClient>();
StartExecutionResult started = await client.StartAsync("order-processor", new OrderEvent("order-1001", 42.50m), cancellationToken: deadline.Token);
Console.WriteLine($"Started {started.DurableExecutionArn}");

// The approver: a person would answer from the console; here the demo approves after a short pause.
ApprovalRequest request = await approvals.NextAsync(deadline.Token);
Console.WriteLine($"Approval requested for {request.Order.OrderId} (callback {request.CallbackId}); approving in 1 s");
await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, deadline.Token);
await client.SendCallbackSuccessAsync(request.CallbackId, new ApprovalDecision(true, "demo-approver"), deadline.Token);

OrderResult? result = await client.WaitForResultAsync<OrderResult>(started.DurableExecutionArn, deadline.Token);
Console.WriteLine($"Result: {result}");
Console.WriteLine();

DurableEngine engine = host.Services.GetRequiredService<DurableEngine>();
OperationTable.Print(await engine.GetOperationsAsync(started.DurableExecutionArn, deadline.Token), Console.Out);
Console.WriteLine();
IReadOnlyList<HistoryEvent> history = await client.GetHistoryAsync(started.DurableExecutionArn, deadline.Token);
OperationTable.Print(history, Console.Out);

await host.StopAsync(deadline.Token);
return result?.Status == OrderStatus.Processed ? 0 : 1;
