using AwsParity.Workflows;
using Durably.Protocol;
using Durably.Testing;

namespace Durably.AwsParity.Tests;

public sealed class CallbackAndConditionTests
{
    [Fact]
    public async Task A_manual_callback_is_answered_through_the_runner()
    {
        await using var runner = new DurableTestRunner<ApprovalRequest, string>(CallbackWorkflows.ManualCallback);
        IDurableTestRunner<ApprovalRequest, string> aws = runner;

        string arn = await aws.StartAsync(new ApprovalRequest("doc-1", "ana"));
        string callbackId = await aws.WaitForCallbackAsync(arn, "approval");
        await aws.SendCallbackSuccessAsync(callbackId, new ApprovalDecision(true, "ana"));
        var result = Corpus.Succeeded(await aws.WaitForResultAsync(arn));

        Assert.Equal("approved by ana", result.Result);
        Assert.Equal(["Callback approval Succeeded", "Step notify-approver Succeeded"], Corpus.Shape(result));
    }

    [Fact]
    public async Task A_failed_callback_carries_its_callback_id()
    {
        await using var runner = new DurableTestRunner<ApprovalRequest, string>(CallbackWorkflows.ManualCallback);

        string arn = await runner.StartAsync(new ApprovalRequest("doc-2", "bo"));
        string callbackId = await runner.WaitForCallbackAsync(arn, "approval");
        await runner.SendCallbackFailureAsync(callbackId, new ErrorObject { ErrorType = "Rejected", ErrorMessage = "no budget" });
        var result = Corpus.Succeeded(await runner.WaitForResultAsync(arn));

        Assert.Equal("failed True: no budget", result.Result);
        Assert.Equal(["Callback approval Failed", "Step notify-approver Succeeded"], Corpus.Shape(result));
    }

    [Fact]
    public async Task WaitForCallback_submitter_receives_the_callback_context()
    {
        await using var runner = new DurableTestRunner<ApprovalRequest, string>(CallbackWorkflows.WaitForApproval);

        string arn = await runner.StartAsync(new ApprovalRequest("doc-3", "cy"));
        string callbackId = await runner.WaitForCallbackAsync(arn, "await-approval");
        await runner.SendCallbackSuccessAsync(callbackId, new ApprovalDecision(false, "cy"));
        var result = Corpus.Succeeded(await runner.WaitForResultAsync(arn));

        Assert.Equal("doc-3: rejected by cy", result.Result);
        TestOperation context = result.GetStep("await-approval");
        Assert.Equal((OperationType.Context, "WaitForCallback", OperationStatus.Succeeded), (context.Type, context.SubType, context.Status));
        Assert.Equal([OperationType.Callback, OperationType.Step], result.GetChildren(context).Select(c => c.Type));
    }

    [Fact]
    public async Task Exponential_condition_polls_until_isDone()
    {
        await using var runner = new DurableTestRunner<string, JobStatus>(ConditionWorkflows.PollExponential);

        var result = Corpus.Succeeded(await runner.RunAsync("job-1"));

        // Progress 20, 60, 120: done after the third check.
        Assert.Equal(new JobStatus("job-1", 120), result.Result);
        Assert.Equal(["Step wait-for-job Succeeded"], Corpus.Shape(result));
        Assert.Equal(3, result.GetStep("wait-for-job").Attempt);
    }

    [Fact]
    public async Task Linear_condition_waits_longer_each_time_up_to_its_cap()
    {
        await using var runner = new DurableTestRunner<int, int>(ConditionWorkflows.PollLinear);
        DateTimeOffset start = runner.TimeProvider.GetUtcNow();

        var result = Corpus.Succeeded(await runner.RunAsync(4));

        Assert.Equal(4, result.Result);
        // Three waits between four checks: 5 s, 10 s, then 15 s capped at 12 s.
        Assert.Equal(start.AddSeconds(5 + 10 + 12), result.GetStep("linear-poll").EndTimestamp);
    }

    [Fact]
    public async Task A_fixed_condition_that_never_holds_reports_how_many_checks_ran()
    {
        await using var runner = new DurableTestRunner<int, string>(ConditionWorkflows.GivesUp);

        var result = Corpus.Succeeded(await runner.RunAsync(3));

        Assert.Equal("gave up after 3 checks, last state 3", result.Result);
        Assert.Equal(["Step never-ready Failed"], Corpus.Shape(result));
    }

    [Fact]
    public async Task A_hand_written_strategy_implements_Decide()
    {
        await using var runner = new DurableTestRunner<int, int>(ConditionWorkflows.CustomStrategy);

        var result = Corpus.Succeeded(await runner.RunAsync(5));

        Assert.Equal(6, result.Result);
        Assert.Equal(3, result.GetStep("custom-poll").Attempt);
    }
}
