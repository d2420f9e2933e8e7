using Durably;

namespace AwsParity.Workflows;

// Callbacks as AWS's callbacks guide writes them: CreateCallbackAsync + GetResultAsync(ct), and WaitForCallbackAsync
// whose submitter receives an IWaitForCallbackContext.
public record ApprovalRequest(string DocumentId, string Approver);
public record ApprovalDecision(bool Approved, string By);

public static class CallbackWorkflows
{
    /// <summary>Allocates a callback, hands its id out in a step, then awaits the answer.</summary>
    public static async Task<string> ManualCallback(ApprovalRequest request, IDurableContext ctx)
    {
        var callback = await ctx.CreateCallbackAsync<ApprovalDecision>(
            name: "approval",
            config: new CallbackConfig { Timeout = TimeSpan.FromHours(24), HeartbeatTimeout = TimeSpan.FromHours(1) });

        await ctx.StepAsync(
            async (_, ct) => await Outbox.SendAsync(request.Approver, callback.CallbackId, ct),
            name: "notify-approver");

        try
        {
            var decision = await callback.GetResultAsync();
            return decision.Approved ? $"approved by {decision.By}" : $"rejected by {decision.By}";
        }
        catch (CallbackFailedException ex)
        {
            return $"failed {ex.CallbackId == callback.CallbackId}: {ex.Message}";
        }
        catch (CallbackTimeoutException)
        {
            return "timed out";
        }
    }

    /// <summary>The composite form: the submitter gets the callback id and an IWaitForCallbackContext.</summary>
    public static async Task<string> WaitForApproval(ApprovalRequest request, IDurableContext ctx)
    {
        var decision = await ctx.WaitForCallbackAsync<ApprovalDecision>(
            async (callbackId, callbackCtx, ct) =>
            {
                _ = callbackCtx.Logger;
                await Outbox.SendAsync(request.Approver, callbackId, ct);
            },
            name: "await-approval",
            config: new WaitForCallbackConfig
            {
                Timeout = TimeSpan.FromDays(2),
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 3, initialDelay: TimeSpan.FromSeconds(1)),
            });

        return $"{request.DocumentId}: {(decision.Approved ? "approved" : "rejected")} by {decision.By}";
    }

    private static class Outbox
    {
        public static Task SendAsync(string to, string callbackId, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            return string.IsNullOrEmpty(to) || string.IsNullOrEmpty(callbackId) ? throw new ArgumentException("nowhere to send") : Task.CompletedTask;
        }
    }
}
