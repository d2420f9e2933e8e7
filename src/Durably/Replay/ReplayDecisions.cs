using Durably.Protocol;

namespace Durably.Replay;

/// <summary>What a durable operation does next, decided from its recorded operation alone.</summary>
internal enum ReplayAction
{
    /// <summary>Nothing recorded: checkpoint START, then run the body or wait (new ground).</summary>
    Start,

    /// <summary>A step retry is due (READY): checkpoint START, then run the next attempt.</summary>
    StartAttempt,

    /// <summary>An attempt began but recorded no outcome (at-least-once): run it again without a START.</summary>
    RerunAttempt,

    /// <summary>An at-most-once attempt began but recorded no outcome: feed an interruption to the retry strategy.</summary>
    InterruptedAttempt,

    /// <summary>A context began but did not end: run its body again, its children replay, without a START.</summary>
    Resume,

    /// <summary>A context succeeded with a result too large to store: run its body again to rebuild the result.</summary>
    Rebuild,

    /// <summary>Wait for a service-side change of the record (a retry becoming due, a timer, a callback, an invoke).</summary>
    WaitForChange,

    /// <summary>Return the recorded result (a wait or a created callback: return).</summary>
    ReturnResult,

    /// <summary>Throw the recorded failure.</summary>
    ThrowFailed,

    /// <summary>Throw the recorded timeout.</summary>
    ThrowTimedOut,

    /// <summary>Throw the recorded stop (or cancellation).</summary>
    ThrowStopped,
}

/// <summary>
/// The replay core: for each operation kind, a pure function from the recorded operation (null when the log holds
/// none at the id) to the next <see cref="ReplayAction"/>. No I/O, no awaits, no checkpoints: the operation bodies
/// under Operations/ perform what these decide, and loop back here with every new record.
/// </summary>
internal static class ReplayDecisions
{
    /// <summary>A step (<c>StepAsync</c>).</summary>
    public static ReplayAction Step(Operation? recorded, StepSemantics semantics) => recorded?.Status switch
    {
        null => ReplayAction.Start,
        OperationStatus.Succeeded => ReplayAction.ReturnResult,
        OperationStatus.Failed => ReplayAction.ThrowFailed,
        OperationStatus.Pending => ReplayAction.WaitForChange,
        OperationStatus.Ready => ReplayAction.StartAttempt,
        OperationStatus.Started when semantics == StepSemantics.AtMostOncePerRetry => ReplayAction.InterruptedAttempt,
        _ => ReplayAction.RerunAttempt,
    };

    /// <summary>A wait-for-condition (a STEP whose attempts are checks; an interrupted check is simply run again).</summary>
    public static ReplayAction WaitForCondition(Operation? recorded) => Step(recorded, StepSemantics.AtLeastOncePerRetry);

    /// <summary>A durable wait: it ends service-side; any end (succeeded, cancelled) returns.</summary>
    public static ReplayAction Wait(Operation? recorded) => recorded?.Status switch
    {
        null => ReplayAction.Start,
        OperationStatus.Started => ReplayAction.WaitForChange,
        _ => ReplayAction.ReturnResult,
    };

    /// <summary>The creation of a callback: a recorded one returns its recorded callback id.</summary>
    public static ReplayAction CreateCallback(Operation? recorded) =>
        recorded is null ? ReplayAction.Start : ReplayAction.ReturnResult;

    /// <summary>The result of a created callback (<c>ICallback.GetResultAsync</c>).</summary>
    public static ReplayAction CallbackResult(Operation? recorded) => recorded?.Status switch
    {
        OperationStatus.Succeeded => ReplayAction.ReturnResult,
        OperationStatus.Failed => ReplayAction.ThrowFailed,
        OperationStatus.TimedOut => ReplayAction.ThrowTimedOut,
        _ => ReplayAction.WaitForChange,
    };

    /// <summary>An invoke of another durable function.</summary>
    public static ReplayAction Invoke(Operation? recorded) => recorded?.Status switch
    {
        null => ReplayAction.Start,
        OperationStatus.Succeeded => ReplayAction.ReturnResult,
        OperationStatus.Failed => ReplayAction.ThrowFailed,
        OperationStatus.TimedOut => ReplayAction.ThrowTimedOut,
        OperationStatus.Stopped or OperationStatus.Cancelled => ReplayAction.ThrowStopped,
        _ => ReplayAction.WaitForChange,
    };

    /// <summary>A CONTEXT: a child context, a parallel or map and their branches, a wait-for-callback.</summary>
    public static ReplayAction Context(Operation? recorded) => recorded?.Status switch
    {
        null => ReplayAction.Start,
        OperationStatus.Succeeded when recorded.ContextDetails?.ReplayChildren == true => ReplayAction.Rebuild,
        OperationStatus.Succeeded => ReplayAction.ReturnResult,
        OperationStatus.Failed => ReplayAction.ThrowFailed,
        _ => ReplayAction.Resume,
    };

    /// <summary>
    /// True when <paramref name="action"/> goes past what the log recorded: it checkpoints or runs a step body
    /// (or check, or submitter). A replay-only invocation (<c>ReplayTester</c>) stops there.
    /// </summary>
    public static bool GoesPastTheRecording(ReplayAction action) =>
        action is ReplayAction.Start or ReplayAction.StartAttempt or ReplayAction.RerunAttempt or ReplayAction.InterruptedAttempt;

    /// <summary>
    /// The determinism check: null when the recorded operation is the one the code asks for now (same type, name and
    /// sub-type), else the mismatch. The call site is added by the caller, only when there is a mismatch.
    /// </summary>
    public static ReplayMismatch? Check(Operation recorded, int position, OperationType type, string? name, string? subType)
    {
        bool same = recorded.Type == type
            && string.Equals(recorded.Name, name, StringComparison.Ordinal)
            && string.Equals(recorded.SubType, subType, StringComparison.Ordinal);
        return same ? null : new ReplayMismatch
        {
            Position = position,
            OperationId = recorded.Id,
            ParentId = recorded.ParentId,
            Expected = new ReplayMismatch.OperationKey(recorded.Type, recorded.Name, recorded.SubType),
            Actual = new ReplayMismatch.OperationKey(type, name, subType),
        };
    }
}
