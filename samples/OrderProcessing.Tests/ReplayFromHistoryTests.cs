using Durably;
using Durably.Protocol;
using Durably.Testing;

namespace OrderProcessing.Tests;

/// <summary>
/// Does today's OrderWorkflow still replay the executions recorded from the running sample server? Each file under
/// Recordings/ was written by <c>durably export &lt;arn&gt; --output …</c> (docs/testing.md). Replay runs no step body
/// the recording completed: no approval request is sent and nothing is charged.
/// </summary>
public sealed class ReplayFromHistoryTests
{
    private readonly ApprovalInbox _approvals = new();
    private readonly FlakyPaymentGateway _payments = new(failures: 0);

    [Theory]
    [InlineData("o-1-approved-and-charged.json", ReplayOutcome.Completed)]
    [InlineData("o-2-awaiting-approval.json", ReplayOutcome.StoppedAtRecordingEnd)]
    [InlineData("o-3-rejected.json", ReplayOutcome.Completed)]
    public async Task RecordedExecution_ReplaysAgainstTodaysWorkflow(string file, ReplayOutcome expected)
    {
        ExecutionExport recording = ReplayTester.Load(Path.Combine("Recordings", file));

        ReplayResult result = await ReplayTester.ReplayAsync<OrderEvent, OrderResult>(
            new OrderWorkflow(_approvals, _payments).HandleAsync, recording);

        result.EnsureDeterministic();
        Assert.Equal(expected, result.Outcome);
        if (expected == ReplayOutcome.Completed)
        {
            Assert.Equal(recording.Execution.Result, result.Result);
        }

        Assert.Empty(_approvals.Pending());
        Assert.Equal(0, _payments.Calls);
    }

    [Fact]
    public async Task ReorderedWorkflow_FailsWithAReadableDiff()
    {
        ExecutionExport recording = ReplayTester.Load(Path.Combine("Recordings", "o-1-approved-and-charged.json"));

        ReplayResult result = await ReplayTester.ReplayAsync<OrderEvent, OrderResult>(
            new ReorderedOrderWorkflow(_approvals).HandleAsync, recording);

        Assert.Equal(ReplayOutcome.NonDeterministic, result.Outcome);
        var error = Assert.Throws<NonDeterministicExecutionException>(result.EnsureDeterministic);
        string[] diff = error.Message.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(
        [
            "Non-deterministic execution: the code asks for another operation than the log recorded at position 1 of the root context.",
            $"  operation id: {recording.Operations.Single(o => o.Name == "validate-order").Id}",
            "  expected (log): STEP \"validate-order\" (Step)",
            "  actual (code):  CALLBACK \"awaiting-approval\" (Callback)",
        ], diff[..4]);
        Assert.Matches(@"^  call site:      OrderProcessing\.Tests\.ReplayFromHistoryTests\.ReorderedOrderWorkflow\.HandleAsync\(.*\) in .*ReplayFromHistoryTests\.cs:line \d+$", diff[4]);
        Assert.Empty(_approvals.Pending());
    }

    /// <summary>
    /// A copy of <see cref="OrderWorkflow.HandleAsync"/> that someone "tidied up": the approval callback is now created
    /// before the order is validated. Fine for new orders, fatal for the ones already running.
    /// </summary>
    private sealed class ReorderedOrderWorkflow(IApprovalSystem approvals)
    {
        public async Task<OrderResult> HandleAsync(OrderEvent order, IDurableContext context)
        {
            ICallback<ApprovalDecision> approval = await context.CreateCallbackAsync<ApprovalDecision>(
                "awaiting-approval", new CallbackConfig { Timeout = OrderWorkflow.ApprovalTimeout });
            OrderValidation validation = await context.StepAsync((_, _) => Task.FromResult(new OrderValidation(order.Amount > 0)), "validate-order");
            if (!validation.IsValid)
            {
                throw new InvalidOrderException(order.OrderId, "The amount must be positive.");
            }

            await context.StepAsync((_, cancellationToken) => approvals.RequestApprovalAsync(order, approval.CallbackId, cancellationToken), "send-for-approval");
            ApprovalDecision decision = await approval.GetResultAsync();
            return new OrderResult(order.OrderId, decision.Approved ? OrderStatus.Processed : OrderStatus.Rejected);
        }
    }
}
