using System.Collections.Concurrent;
using System.Diagnostics;
using Durably;

namespace Durably.LoadDriver;

/// <summary>The peers' workloads (../shared/peers): the same shapes, written with our API.</summary>
internal static class Workflows
{
    public const string TenSteps = "ten-steps";
    public const string StepWaitStep = "step-wait-step";
    public const string CallbackResume = "callback-resume";

    /// <summary>How long each step body of <see cref="TenStepsAsync"/> runs (<c>--step-ms</c>); zero: it returns at once.</summary>
    public static TimeSpan StepBody { get; set; }

    /// <summary>Ten steps, each returning its index (after <see cref="StepBody"/>).</summary>
    public static async Task<int> TenStepsAsync(int input, IDurableContext context)
    {
        int sum = input;
        for (int i = 0; i < 10; i++)
        {
            int index = i;
            sum += await context.StepAsync(async (_, cancellationToken) =>
            {
                if (StepBody > TimeSpan.Zero)
                {
                    await Task.Delay(StepBody, TimeProvider.System, cancellationToken);
                }

                return index;
            }, "step-" + index);
        }

        return sum;
    }

    /// <summary>Marks when step 1's body ended and step 2's body began, by execution key (the input).</summary>
    public static ConcurrentDictionary<string, (long Step1EndedAt, long Step2StartedAt)> WaitMarks { get; } = new();

    /// <summary>One step, a 1 s durable wait, one step; lateness = t1 − t0 − 1000 ms as PEERS.md measures it.</summary>
    public static async Task<int> StepWaitStepAsync(string key, IDurableContext context)
    {
        await context.StepAsync((_, _) =>
        {
            WaitMarks[key] = (Stopwatch.GetTimestamp(), 0);
            return Task.FromResult(1);
        }, "before");
        await context.WaitAsync(TimeSpan.FromSeconds(1), "pause");
        return await context.StepAsync((_, _) =>
        {
            WaitMarks.AddOrUpdate(key, _ => (0, Stopwatch.GetTimestamp()), (_, marks) => marks.Step2StartedAt == 0 ? (marks.Step1EndedAt, Stopwatch.GetTimestamp()) : marks);
            return Task.FromResult(2);
        }, "after");
    }

    /// <summary>Callback ids by execution key, and when the step after the callback began.</summary>
    public static ConcurrentDictionary<string, TaskCompletionSource<string>> CallbackIds { get; } = new();

    public static ConcurrentDictionary<string, long> ResumedAt { get; } = new();

    /// <summary>Creates a callback, publishes its id, waits for it, then runs a step (the resume mark).</summary>
    public static async Task<string> CallbackResumeAsync(string key, IDurableContext context)
    {
        ICallback<string> callback = await context.CreateCallbackAsync<string>("approval");
        CallbackIds.GetOrAdd(key, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(callback.CallbackId);
        string answer = await callback.GetResultAsync();
        return await context.StepAsync((_, _) =>
        {
            ResumedAt.TryAdd(key, Stopwatch.GetTimestamp());
            return Task.FromResult(answer);
        }, "resumed");
    }
}
