using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine.Tests.Transitions;

/// <summary>The validation rules and action × type matrix of PROTOCOL.md §2.8, on the pure transition.</summary>
public sealed class CheckpointTransitionTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DurablyOptions Defaults = new();

    private static ExecutionWorkspace Workspace(params Operation[] existing)
    {
        var execution = new ExecutionRecord
        {
            ExecutionId = "e1",
            DurableExecutionArn = "arn:aws:lambda:local:000000000000:function:fn:1/durable-execution/n/e1",
            ExecutionName = "n",
            FunctionName = "fn",
            FunctionVersion = "1",
            FunctionArn = "arn:aws:lambda:local:000000000000:function:fn:1",
            Status = ExecutionStatus.Running,
            StartTimestamp = Now,
            ExecutionTimeoutSeconds = 100,
            RetentionPeriodInDays = 1,
            Version = 3,
            OperationCount = existing.Length + 1,
            EventCount = 1,
            Invocation = new InvocationRecord("r1", "P", "Ptoken", Now),
        };
        var operations = new Dictionary<string, OperationRecord>
        {
            ["e1"] = new(0, new Operation { Id = "e1", Type = OperationType.Execution, Status = OperationStatus.Started }),
        };
        for (int i = 0; i < existing.Length; i++)
        {
            operations[existing[i].Id] = new OperationRecord(i + 1, existing[i]);
        }

        return new ExecutionWorkspace(new ExecutionSnapshot(execution, operations));
    }

    private static Operation Existing(OperationType type, OperationStatus status, string id = "op", string? subType = null) =>
        new() { Id = id, Type = type, SubType = subType ?? Sub(type), Status = status, StartTimestamp = Now };

    private static string Sub(OperationType type) => type switch
    {
        OperationType.Step => "Step",
        OperationType.Wait => "Wait",
        OperationType.Callback => "Callback",
        OperationType.ChainedInvoke => "ChainedInvoke",
        _ => "RunInChildContext",
    };

    private static OperationUpdate Update(OperationType type, OperationAction action, string id = "op") => new()
    {
        Id = id,
        Type = type,
        SubType = Sub(type),
        Action = action,
        StepOptions = action == OperationAction.Retry ? new StepOptions { NextAttemptDelaySeconds = 1 } : null,
        WaitOptions = type == OperationType.Wait ? new WaitOptions { WaitSeconds = 1 } : null,
        Error = action is OperationAction.Fail or OperationAction.Retry ? new ErrorObject { ErrorMessage = "x" } : null,
        ChainedInvokeOptions = type == OperationType.ChainedInvoke ? new ChainedInvokeOptions { FunctionName = "child" } : null,
    };

    private static CheckpointDurableExecutionResponse Apply(ExecutionWorkspace workspace, params OperationUpdate[] updates)
    {
        var child = new NewExecution("c1", "child-name", "child", "1", "arn:fn", null, 10, 1, "e1", "op");
        var inputs = new CheckpointInputs(Now, "Pnext", () => "CallbackId0123456789abcdefghijklmn",
            new Dictionary<string, ChildInvocationPlan> { ["op"] = new(child, "arn:child") },
            Defaults.MaxOperationsPerExecution, Defaults.MaxBytesWrittenPerExecution);
        return CheckpointTransition.Apply(workspace, new CheckpointDurableExecutionRequest { CheckpointToken = "Ptoken", Updates = updates }, inputs);
    }

    private static string Reject(ExecutionWorkspace workspace, params OperationUpdate[] updates)
    {
        DurableServiceException error = Assert.Throws<DurableServiceException>(() => Apply(workspace, updates));
        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.False(error.IsInvalidCheckpointToken);
        return error.Message;
    }

    public static TheoryData<OperationType, OperationStatus?, OperationAction, OperationStatus?> Matrix => new()
    {
        // Type, existing status (null: absent), action, resulting status (null: rejected)
        { OperationType.Step, null, OperationAction.Start, OperationStatus.Started },
        { OperationType.Step, OperationStatus.Ready, OperationAction.Start, OperationStatus.Started },
        { OperationType.Step, OperationStatus.Started, OperationAction.Start, null },
        { OperationType.Step, OperationStatus.Pending, OperationAction.Start, null },
        { OperationType.Step, OperationStatus.Succeeded, OperationAction.Start, null },
        { OperationType.Step, null, OperationAction.Succeed, OperationStatus.Succeeded },
        { OperationType.Step, OperationStatus.Started, OperationAction.Succeed, OperationStatus.Succeeded },
        { OperationType.Step, OperationStatus.Ready, OperationAction.Fail, OperationStatus.Failed },
        { OperationType.Step, OperationStatus.Pending, OperationAction.Succeed, null },
        { OperationType.Step, OperationStatus.Failed, OperationAction.Fail, null },
        { OperationType.Step, OperationStatus.Started, OperationAction.Retry, OperationStatus.Pending },
        { OperationType.Step, OperationStatus.Ready, OperationAction.Retry, OperationStatus.Pending },
        { OperationType.Step, OperationStatus.Pending, OperationAction.Retry, null },
        { OperationType.Step, OperationStatus.Started, OperationAction.Cancel, null },
        { OperationType.Context, null, OperationAction.Start, OperationStatus.Started },
        { OperationType.Context, OperationStatus.Started, OperationAction.Start, null },
        { OperationType.Context, OperationStatus.Started, OperationAction.Succeed, OperationStatus.Succeeded },
        { OperationType.Context, null, OperationAction.Fail, OperationStatus.Failed },
        { OperationType.Context, OperationStatus.Succeeded, OperationAction.Fail, null },
        { OperationType.Context, OperationStatus.Started, OperationAction.Retry, null },
        { OperationType.Wait, null, OperationAction.Start, OperationStatus.Started },
        { OperationType.Wait, OperationStatus.Started, OperationAction.Start, null },
        { OperationType.Wait, OperationStatus.Started, OperationAction.Cancel, OperationStatus.Cancelled },
        { OperationType.Wait, OperationStatus.Succeeded, OperationAction.Cancel, null },
        { OperationType.Wait, OperationStatus.Started, OperationAction.Succeed, null },
        { OperationType.Callback, null, OperationAction.Start, OperationStatus.Started },
        { OperationType.Callback, OperationStatus.Started, OperationAction.Start, null },
        { OperationType.Callback, OperationStatus.Started, OperationAction.Succeed, null },
        { OperationType.Callback, OperationStatus.Started, OperationAction.Cancel, null },
        { OperationType.ChainedInvoke, null, OperationAction.Start, OperationStatus.Started },
        { OperationType.ChainedInvoke, OperationStatus.Started, OperationAction.Start, null },
        { OperationType.ChainedInvoke, OperationStatus.Started, OperationAction.Cancel, OperationStatus.Cancelled },
        { OperationType.ChainedInvoke, OperationStatus.Started, OperationAction.Succeed, null },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void ActionByType_FollowsTheMatrix(OperationType type, OperationStatus? existing, OperationAction action, OperationStatus? expected)
    {
        ExecutionWorkspace workspace = existing is { } status ? Workspace(Existing(type, status)) : Workspace();
        OperationUpdate update = Update(type, action);

        if (expected is null)
        {
            Reject(workspace, update);
            return;
        }

        CheckpointDurableExecutionResponse response = Apply(workspace, update);
        Assert.Equal(expected, Assert.Single(response.NewExecutionState!.Operations).Status);
    }

    [Theory]
    [InlineData(OperationAction.Start)]
    [InlineData(OperationAction.Retry)]
    [InlineData(OperationAction.Cancel)]
    public void ExecutionUpdate_OnlySucceedAndFailAreAllowed(OperationAction action)
    {
        string message = Reject(Workspace(), new OperationUpdate { Id = "x", Type = OperationType.Execution, Action = action, StepOptions = new StepOptions { NextAttemptDelaySeconds = 1 } });

        Assert.Contains("EXECUTION", message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecutionUpdate_MustBeLast()
    {
        string message = Reject(Workspace(),
            new OperationUpdate { Id = "x", Type = OperationType.Execution, Action = OperationAction.Succeed },
            Update(OperationType.Step, OperationAction.Succeed));

        Assert.Contains("last", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoExecutionUpdates_AreRejected()
    {
        var update = new OperationUpdate { Id = "x", Type = OperationType.Execution, Action = OperationAction.Succeed };

        Assert.Contains("at most one EXECUTION", Reject(Workspace(), update, update with { Id = "y" }), StringComparison.Ordinal);
    }

    [Fact]
    public void StartThenFinishInOneBatch_IsAllowed()
    {
        CheckpointDurableExecutionResponse response = Apply(Workspace(), Update(OperationType.Step, OperationAction.Start), Update(OperationType.Step, OperationAction.Succeed));

        Assert.Equal(OperationStatus.Succeeded, Assert.Single(response.NewExecutionState!.Operations).Status);
    }

    [Theory]
    [InlineData(OperationAction.Succeed, OperationAction.Succeed)]
    [InlineData(OperationAction.Start, OperationAction.Start)]
    public void DuplicateIdOtherwise_IsRejected(OperationAction first, OperationAction second)
    {
        Assert.Contains("duplicate", Reject(Workspace(), Update(OperationType.Step, first), Update(OperationType.Step, second)), StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateWait_IsRejected()
    {
        Assert.Contains("duplicate", Reject(Workspace(), Update(OperationType.Wait, OperationAction.Start), Update(OperationType.Wait, OperationAction.Cancel)), StringComparison.Ordinal);
    }

    [Fact]
    public void ParentMustBeAContext()
    {
        ExecutionWorkspace workspace = Workspace(Existing(OperationType.Step, OperationStatus.Succeeded, "s1"));

        Assert.Contains("Invalid parent operation id", Reject(workspace, Update(OperationType.Step, OperationAction.Succeed) with { ParentId = "s1" }), StringComparison.Ordinal);
        Assert.Contains("Invalid parent operation id", Reject(Workspace(), Update(OperationType.Step, OperationAction.Succeed) with { ParentId = "missing" }), StringComparison.Ordinal);
    }

    [Fact]
    public void ParentStartedEarlierInTheSameBatch_IsAccepted()
    {
        CheckpointDurableExecutionResponse response = Apply(Workspace(),
            Update(OperationType.Context, OperationAction.Start, "ctx"),
            Update(OperationType.Step, OperationAction.Succeed, "child") with { ParentId = "ctx" });

        Assert.Equal("ctx", response.NewExecutionState!.Operations[1].ParentId);
    }

    [Theory]
    [InlineData("type")]
    [InlineData("subtype")]
    [InlineData("name")]
    [InlineData("parent")]
    public void ExistingOperation_MustKeepTypeSubTypeNameAndParent(string field)
    {
        ExecutionWorkspace workspace = Workspace(
            Existing(OperationType.Context, OperationStatus.Started, "ctx"),
            Existing(OperationType.Step, OperationStatus.Started) with { Name = "charge", ParentId = "ctx" });
        OperationUpdate update = Update(OperationType.Step, OperationAction.Succeed) with { Name = "charge", ParentId = "ctx" };
        update = field switch
        {
            "type" => update with { Type = OperationType.Wait },
            "subtype" => update with { SubType = "WaitForCondition" },
            "name" => update with { Name = "refund" },
            _ => update with { ParentId = null },
        };

        Assert.Contains($"Inconsistent operation {field}", Reject(workspace, update), StringComparison.Ordinal);
    }

    [Fact]
    public void SucceedWithError_FailWithPayload_RetryWithBoth_AreRejected()
    {
        Assert.Contains("SUCCEED", Reject(Workspace(), Update(OperationType.Step, OperationAction.Succeed) with { Error = new ErrorObject() }), StringComparison.Ordinal);
        Assert.Contains("FAIL", Reject(Workspace(), Update(OperationType.Step, OperationAction.Fail) with { Payload = "1" }), StringComparison.Ordinal);
        Assert.Contains("RETRY", Reject(Workspace(), Update(OperationType.Step, OperationAction.Retry) with { Payload = "1" }), StringComparison.Ordinal);
    }

    [Fact]
    public void RetryWithoutStepOptions_IsRejected()
    {
        Assert.Contains("StepOptions", Reject(Workspace(), Update(OperationType.Step, OperationAction.Retry) with { StepOptions = null }), StringComparison.Ordinal);
    }

    [Fact]
    public void RejectedBatch_LeavesTheWorkspaceExactlyAsLoaded()
    {
        ExecutionWorkspace workspace = Workspace();
        ExecutionRecord before = workspace.Execution;

        // The first update is valid and applied before the second is rejected: the whole batch must be undone.
        Reject(workspace, Update(OperationType.Step, OperationAction.Succeed, "a"), Update(OperationType.Step, OperationAction.Cancel, "b"));

        Assert.False(workspace.HasChanges);
        Assert.Same(before, workspace.Execution);
        Assert.Null(workspace.Find("a"));
        ExecutionChange change = workspace.ToChange();
        Assert.Empty(change.Operations);
        Assert.Empty(change.Events);
        Assert.Equal((1, 1), (change.Execution.OperationCount, change.Execution.EventCount));
    }

    [Fact]
    public void StepStart_LeavesAttemptUnchanged_SucceedCountsTheAttempt()
    {
        ExecutionWorkspace workspace = Workspace(Existing(OperationType.Step, OperationStatus.Ready) with { StepDetails = new StepDetails { Attempt = 2 } });

        Operation started = Apply(workspace, Update(OperationType.Step, OperationAction.Start)).NewExecutionState!.Operations.Single();
        Operation succeeded = Apply(workspace, Update(OperationType.Step, OperationAction.Succeed)).NewExecutionState!.Operations.Single();

        Assert.Equal(2, started.StepDetails!.Attempt);
        Assert.Equal(3, succeeded.StepDetails!.Attempt);
    }

    [Fact]
    public void Response_HandsOutTheNextTokenAndIncludesUndeliveredOperations()
    {
        ExecutionWorkspace workspace = Workspace(Existing(OperationType.Wait, OperationStatus.Succeeded, "w1"));
        workspace.Execution = workspace.Execution with { UndeliveredOperationIds = ["w1"] };

        CheckpointDurableExecutionResponse response = Apply(workspace);

        Assert.Equal("Pnext", response.CheckpointToken);
        Assert.Equal("w1", Assert.Single(response.NewExecutionState!.Operations).Id);
        Assert.Empty(workspace.Execution.UndeliveredOperationIds);
        Assert.Equal("Pnext", workspace.Execution.Invocation!.CurrentToken);
    }

    [Fact]
    public void CheckToken_DistinguishesUsedForeignAndClosed()
    {
        ExecutionRecord execution = Workspace().Execution;

        DurableServiceException used = Assert.Throws<DurableServiceException>(() => CheckpointTransition.CheckToken(execution, "Pold"));
        DurableServiceException foreign = Assert.Throws<DurableServiceException>(() => CheckpointTransition.CheckToken(execution, "Xtoken"));
        DurableServiceException closed = Assert.Throws<DurableServiceException>(() => CheckpointTransition.CheckToken(execution with { Status = ExecutionStatus.Stopped }, "Ptoken"));

        Assert.All([used, foreign, closed], error => Assert.True(error.IsInvalidCheckpointToken));
        Assert.EndsWith("the token was already used; use the token of the latest response.", used.Message, StringComparison.Ordinal);
        Assert.EndsWith("the token does not belong to the running invocation.", foreign.Message, StringComparison.Ordinal);
        Assert.EndsWith("the execution is STOPPED and accepts no checkpoints.", closed.Message, StringComparison.Ordinal);
        Assert.Null(Record.Exception(() => CheckpointTransition.CheckToken(execution, "Ptoken")));
    }
}
