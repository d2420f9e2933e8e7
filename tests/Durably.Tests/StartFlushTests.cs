using Durably.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Tests;

/// <summary>
/// Lazy STARTs (an at-least-once STEP's, a CONTEXT's) ride with the next request, or go alone after a few milliseconds
/// when none comes: a quick step still costs one request, a long one is visible while its body runs.
/// </summary>
public sealed class StartFlushTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(5);

    private readonly FakeExecutionClient _client = new("\"in\"");
    private readonly FakeTimeProvider _time = new(FakeExecutionClient.Now);
    private readonly TaskCompletionSource _bodyRunning = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task LongStep_ItsStartIsSentAlone_WhileTheBodyRuns()
    {
        Task<DurableExecutionInvocationOutput> invocation = RunAsync(context => context.StepAsync(BodyAsync, "slow"));
        await _bodyRunning.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(_client.Requests);

        _time.Advance(Delay);

        Assert.Equal([[(OperationType.Step, OperationAction.Start)]], Batches());
        _release.SetResult();
        Assert.Equal(InvocationStatus.Succeeded, (await invocation.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal([[(OperationType.Step, OperationAction.Start)], [(OperationType.Step, OperationAction.Succeed)]], Batches());
    }

    [Fact]
    public async Task ChildContext_ItsStartAndItsStepsStartGoTogether_WhileTheBodyRuns()
    {
        Task<DurableExecutionInvocationOutput> invocation = RunAsync(context => context.RunInChildContextAsync((child, _) => child.StepAsync(BodyAsync, "slow"), "phase"));
        await _bodyRunning.Task.WaitAsync(TimeSpan.FromSeconds(10));

        _time.Advance(Delay);

        Assert.Equal([[(OperationType.Context, OperationAction.Start), (OperationType.Step, OperationAction.Start)]], Batches());
        _release.SetResult();
        Assert.Equal(InvocationStatus.Succeeded, (await invocation.WaitAsync(TimeSpan.FromSeconds(10))).Status);
    }

    [Fact]
    public async Task QuickStep_ItsStartRidesWithItsOutcome_InOneRequest()
    {
        Task<DurableExecutionInvocationOutput> invocation = RunAsync(context => context.StepAsync(BodyAsync, "quick"));
        await _bodyRunning.Task.WaitAsync(TimeSpan.FromSeconds(10));

        _time.Advance(Delay - TimeSpan.FromMilliseconds(1));
        _release.SetResult();

        Assert.Equal(InvocationStatus.Succeeded, (await invocation.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal([[(OperationType.Step, OperationAction.Start), (OperationType.Step, OperationAction.Succeed)]], Batches());
        _time.Advance(Delay);
        Assert.Single(_client.Requests);
    }

    private async Task<string> BodyAsync(IStepContext step, CancellationToken cancellationToken)
    {
        _bodyRunning.TrySetResult();
        await _release.Task;
        return "done";
    }

    private Task<DurableExecutionInvocationOutput> RunAsync(Func<IDurableContext, Task<string>> workflow) =>
        DurableFunction.WrapAsync<string, string>((_, context) => workflow(context), _client.NewInvocation(), _client,
            new DurableFunctionOptions { TimeProvider = _time });

    private (OperationType, OperationAction)[][] Batches() =>
        [.. _client.Requests.Select(request => (request.Updates ?? []).Select(update => (update.Type, update.Action)).ToArray())];
}
