using Durably;

namespace AwsParity.Workflows;

// AWS's cancellation guide: the caller's token goes to each durable call; the step body receives a linked token.
public static class CancellationWorkflows
{
    /// <summary>
    /// Cancels its own token while a step body runs; the body observes it and stops, the caller catches the
    /// cancellation and waits. The next invocation runs the step body again (nothing was recorded for it).
    /// </summary>
    public static async Task<string> CancelledWhileRunning(string input, IDurableContext ctx)
    {
        using var cts = new CancellationTokenSource();
        try
        {
            await ctx.StepAsync(
                async (_, ct) =>
                {
                    await cts.CancelAsync();
                    ct.ThrowIfCancellationRequested();
                    return "not cancelled";
                },
                name: "cancelled-step",
                cancellationToken: cts.Token);
            return "unreachable";
        }
        catch (OperationCanceledException)
        {
            await ctx.WaitAsync(TimeSpan.FromSeconds(1), name: "after-cancel");
            return $"{input} cancelled";
        }
    }

    /// <summary>A token already cancelled before the call: nothing is recorded for it.</summary>
    public static async Task<string> CancelledBefore(string input, IDurableContext ctx)
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        try
        {
            await ctx.WaitAsync(TimeSpan.FromSeconds(5), name: "never-started", cancellationToken: cts.Token);
            return "unreachable";
        }
        catch (OperationCanceledException)
        {
            return await ctx.StepAsync((_, _) => Task.FromResult($"{input} continued"), name: "after-cancel");
        }
    }
}
