using Durably.Protocol;
using Durably.Replay;

namespace Durably.Tests;

/// <summary>
/// The replay core's decision table: every operation kind × recorded status (or none) × semantics, and the
/// determinism check. Each row is one decision the operation bodies under Operations/ perform.
/// </summary>
public sealed class ReplayDecisionTests
{
    public enum Kind
    {
        StepAtLeastOnce,
        StepAtMostOnce,
        WaitForCondition,
        Wait,
        CreateCallback,
        CallbackResult,
        Invoke,
        Context,
        ContextReplayingChildren,
    }

    /// <summary>(kind, recorded status or none, expected action's name), one row per status of every kind.</summary>
    public static TheoryData<Kind, OperationStatus?, string> Table()
    {
        var rows = new TheoryData<Kind, OperationStatus?, string>();
        void Row(Kind kind, ReplayAction none, ReplayAction started, ReplayAction pending, ReplayAction ready, ReplayAction succeeded,
            ReplayAction failed, ReplayAction cancelled, ReplayAction timedOut, ReplayAction stopped)
        {
            rows.Add(kind, null, none.ToString());
            rows.Add(kind, OperationStatus.Started, started.ToString());
            rows.Add(kind, OperationStatus.Pending, pending.ToString());
            rows.Add(kind, OperationStatus.Ready, ready.ToString());
            rows.Add(kind, OperationStatus.Succeeded, succeeded.ToString());
            rows.Add(kind, OperationStatus.Failed, failed.ToString());
            rows.Add(kind, OperationStatus.Cancelled, cancelled.ToString());
            rows.Add(kind, OperationStatus.TimedOut, timedOut.ToString());
            rows.Add(kind, OperationStatus.Stopped, stopped.ToString());
        }

        const ReplayAction start = ReplayAction.Start, startAttempt = ReplayAction.StartAttempt, rerun = ReplayAction.RerunAttempt,
            interrupted = ReplayAction.InterruptedAttempt, resume = ReplayAction.Resume, rebuild = ReplayAction.Rebuild,
            wait = ReplayAction.WaitForChange, result = ReplayAction.ReturnResult, failed = ReplayAction.ThrowFailed,
            timedOut = ReplayAction.ThrowTimedOut, stopped = ReplayAction.ThrowStopped;

        //                            none   STARTED      PENDING READY         SUCCEEDED FAILED  CANCELLED TIMED_OUT STOPPED
        Row(Kind.StepAtLeastOnce, start, rerun, wait, startAttempt, result, failed, rerun, rerun, rerun);
        Row(Kind.StepAtMostOnce, start, interrupted, wait, startAttempt, result, failed, rerun, rerun, rerun);
        Row(Kind.WaitForCondition, start, rerun, wait, startAttempt, result, failed, rerun, rerun, rerun);
        Row(Kind.Wait, start, wait, result, result, result, result, result, result, result);
        Row(Kind.CreateCallback, start, result, result, result, result, result, result, result, result);
        Row(Kind.CallbackResult, wait, wait, wait, wait, result, failed, wait, timedOut, wait);
        Row(Kind.Invoke, start, wait, wait, wait, result, failed, stopped, timedOut, stopped);
        Row(Kind.Context, start, resume, resume, resume, result, failed, resume, resume, resume);
        Row(Kind.ContextReplayingChildren, start, resume, resume, resume, rebuild, failed, resume, resume, resume);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Decision_FromRecordedStatus_IsTheTablesAction(Kind kind, OperationStatus? status, string expected)
    {
        Operation? recorded = status is { } s ? Record(kind, s) : null;

        ReplayAction action = kind switch
        {
            Kind.StepAtLeastOnce => ReplayDecisions.Step(recorded, StepSemantics.AtLeastOncePerRetry),
            Kind.StepAtMostOnce => ReplayDecisions.Step(recorded, StepSemantics.AtMostOncePerRetry),
            Kind.WaitForCondition => ReplayDecisions.WaitForCondition(recorded),
            Kind.Wait => ReplayDecisions.Wait(recorded),
            Kind.CreateCallback => ReplayDecisions.CreateCallback(recorded),
            Kind.CallbackResult => ReplayDecisions.CallbackResult(recorded),
            Kind.Invoke => ReplayDecisions.Invoke(recorded),
            _ => ReplayDecisions.Context(recorded),
        };

        Assert.Equal(expected, action.ToString());
    }

    [Fact]
    public void Table_CoversEveryKindAndEveryStatus()
    {
        int statuses = Enum.GetValues<OperationStatus>().Length + 1; // and "nothing recorded"
        Assert.Equal(Enum.GetValues<Kind>().Length * statuses, Table().Count);
    }

    [Theory]
    [InlineData(nameof(ReplayAction.Start), true)]
    [InlineData(nameof(ReplayAction.StartAttempt), true)]
    [InlineData(nameof(ReplayAction.RerunAttempt), true)]
    [InlineData(nameof(ReplayAction.InterruptedAttempt), true)]
    [InlineData(nameof(ReplayAction.Resume), false)]
    [InlineData(nameof(ReplayAction.Rebuild), false)]
    [InlineData(nameof(ReplayAction.WaitForChange), false)]
    [InlineData(nameof(ReplayAction.ReturnResult), false)]
    [InlineData(nameof(ReplayAction.ThrowFailed), false)]
    [InlineData(nameof(ReplayAction.ThrowTimedOut), false)]
    [InlineData(nameof(ReplayAction.ThrowStopped), false)]
    public void GoesPastTheRecording_OnlyForActionsThatCheckpointOrRunABody(string action, bool expected) =>
        Assert.Equal(expected, ReplayDecisions.GoesPastTheRecording(Enum.Parse<ReplayAction>(action)));

    [Fact]
    public void Check_SameTypeNameAndSubType_IsNoMismatch() =>
        Assert.Null(ReplayDecisions.Check(Recorded(OperationType.Step, "charge", "Step"), 2, OperationType.Step, "charge", "Step"));

    public static TheoryData<OperationType, string?, string?> Changes() => new()
    {
        { OperationType.Wait, "charge", "Step" },     // another type
        { OperationType.Step, "refund", "Step" },     // another name
        { OperationType.Step, null, "Step" },         // the name dropped
        { OperationType.Step, "charge", "WaitForCondition" }, // another sub-type
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Check_AnyChange_IsAMismatchWithPositionIdAndBothSides(OperationType type, string? name, string? subType)
    {
        Operation recorded = Recorded(OperationType.Step, "charge", "Step") with { ParentId = "parent-ctx" };

        ReplayMismatch mismatch = ReplayDecisions.Check(recorded, 2, type, name, subType)!;

        Assert.Equal(2, mismatch.Position);
        Assert.Equal("op-2", mismatch.OperationId);
        Assert.Equal("parent-ctx", mismatch.ParentId);
        Assert.Equal(new ReplayMismatch.OperationKey(OperationType.Step, "charge", "Step"), mismatch.Expected);
        Assert.Equal(new ReplayMismatch.OperationKey(type, name, subType), mismatch.Actual);
        Assert.Null(mismatch.CallSite);
    }

    [Fact]
    public void Describe_ListsPositionIdExpectedActualAndCallSite()
    {
        ReplayMismatch mismatch = ReplayDecisions.Check(Recorded(OperationType.Step, "charge", "Step"), 2, OperationType.Wait, null, "Wait")!
            with { CallSite = "Shop.Checkout.RunAsync() in Checkout.cs:line 12" };

        Assert.Equal("""
            Non-deterministic execution: the code asks for another operation than the log recorded at position 2 of the root context.
              operation id: op-2
              expected (log): STEP "charge" (Step)
              actual (code):  WAIT (unnamed) (Wait)
              call site:      Shop.Checkout.RunAsync() in Checkout.cs:line 12
            """.ReplaceLineEndings(), mismatch.Describe().ReplaceLineEndings());
    }

    private static Operation Recorded(OperationType type, string? name, string? subType) => new()
    {
        Id = "op-2",
        Type = type,
        Name = name,
        SubType = subType,
        Status = OperationStatus.Succeeded,
    };

    private static Operation Record(Kind kind, OperationStatus status) => new()
    {
        Id = "op-1",
        Type = kind switch
        {
            Kind.Wait => OperationType.Wait,
            Kind.CreateCallback or Kind.CallbackResult => OperationType.Callback,
            Kind.Invoke => OperationType.ChainedInvoke,
            Kind.Context or Kind.ContextReplayingChildren => OperationType.Context,
            _ => OperationType.Step,
        },
        Status = status,
        ContextDetails = kind == Kind.ContextReplayingChildren ? new ContextDetails { ReplayChildren = true } : null,
    };
}
