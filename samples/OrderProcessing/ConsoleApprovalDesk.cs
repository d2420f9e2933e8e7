namespace OrderProcessing;

/// <summary>
/// The sample server's approval system: it prints each request with the CLI command that answers
/// it. A real one would e-mail a manager or open a ticket with the callback id.
/// </summary>
public sealed class ConsoleApprovalDesk(TextWriter output) : IApprovalSystem
{
    public Task RequestApprovalAsync(OrderEvent order, string callbackId, CancellationToken cancellationToken)
    {
        output.WriteLine($$"""

            Order {{order.OrderId}} ({{order.Amount}} {{order.Currency}}) awaits approval for 3 minutes. Approve or reject it:
              dotnet run --project src/Durably.Cli -- callback succeed {{callbackId}} '{"approved":true,"approver":"you"}'
              dotnet run --project src/Durably.Cli -- callback succeed {{callbackId}} '{"approved":false,"comment":"over budget"}'

            """);
        return Task.CompletedTask;
    }
}
