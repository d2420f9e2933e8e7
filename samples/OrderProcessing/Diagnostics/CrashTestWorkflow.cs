using Durably;

namespace OrderProcessing.Diagnostics;

/// <summary>
/// The workload of the crash-safety test (tests/Durably.CrashSafety.Tests), registered only with
/// <c>--side-effects &lt;file&gt;</c>: steps of both semantics, a durable wait, a retried step and a callback.
/// Every step body appends to a side-effect journal outside the engine, and the code after each
/// step appends an "ack" line, so the test can prove from the journal alone that no step body ran
/// after its SUCCEED was acknowledged and that no at-most-once attempt ran twice.
/// </summary>
public static class CrashTestWorkflow
{
    public const string FunctionName = "crash-test";

    private static readonly StepConfig AtMostOnce = new()
    {
        Semantics = StepSemantics.AtMostOncePerRetry,
        RetryStrategy = RetryStrategy.Exponential(maxAttempts: 20, initialDelay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(1)),
    };

    private static readonly StepConfig RetryOnce = new()
    {
        RetryStrategy = RetryStrategy.Exponential(maxAttempts: 20, initialDelay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(1)),
    };

    public static void Register(IDurablyBuilder durably, string journalPath)
    {
        var journal = new SideEffectJournal(journalPath);
        // A short lease: an invocation takes well under a second, and one a dead node had in flight is retried by another
        // node once its lease expires (the multi-node test); a SQLite server reclaims its own at restart anyway.
        durably.AddFunction<string, string>(FunctionName, (id, context) => RunAsync(id, context, journal),
            function => function.InvocationTimeout = TimeSpan.FromSeconds(10));
    }

    private static async Task<string> RunAsync(string id, IDurableContext context, SideEffectJournal journal)
    {
        await context.StepAsync((step, _) => journal.Record(id, "a-body", step.AttemptNumber), "a");
        journal.Append(id, "a-ack");

        await context.StepAsync(async (step, cancellationToken) =>
        {
            journal.Append(id, "b-start", step.AttemptNumber);
            // Long enough that kills often land inside a running invocation.
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, cancellationToken);
            journal.Append(id, "b-end", step.AttemptNumber);
        }, "b", AtMostOnce);
        journal.Append(id, "b-ack");

        await context.WaitAsync(TimeSpan.FromSeconds(1), "pause");

        await context.StepAsync((step, _) =>
        {
            journal.Append(id, "c-body", step.AttemptNumber);
            return step.AttemptNumber == 1 ? throw new InvalidOperationException("first attempt fails") : Task.CompletedTask;
        }, "c", RetryOnce);
        journal.Append(id, "c-ack");

        ICallback<string> approval = await context.CreateCallbackAsync<string>("approval", new CallbackConfig { Timeout = TimeSpan.FromMinutes(10) });
        await context.StepAsync((_, _) => journal.Record(id, "publish:" + approval.CallbackId), "publish");
        string answer = await approval.GetResultAsync();

        await context.StepAsync((step, _) => journal.Record(id, "d-body", step.AttemptNumber), "d");
        journal.Append(id, "d-ack");
        return $"done-{id}-{answer}";
    }
}
