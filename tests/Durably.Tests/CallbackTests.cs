using Durably.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Tests;

public sealed class CallbackTests
{
    private sealed record Approval(bool Approved);

    [Fact]
    public async Task CreateCallbackAsync_AnsweredWithSuccess_ReturnsTheDeserializedBody()
    {
        var client = new FakeExecutionClient("0");
        string? seenId = null;
        async Task<bool> Workflow(int _, IDurableContext context)
        {
            ICallback<Approval> callback = await context.CreateCallbackAsync<Approval>("approval",
                new CallbackConfig { Timeout = TimeSpan.FromMinutes(3), HeartbeatTimeout = TimeSpan.FromSeconds(30) });
            seenId = callback.CallbackId;
            return (await callback.GetResultAsync()).Approved;
        }

        DurableExecutionInvocationOutput first = await client.InvokeAsync<int, bool>(Workflow);
        client.CompleteCallback(seenId!, "{\"approved\":true}");
        DurableExecutionInvocationOutput second = await client.InvokeAsync<int, bool>(Workflow);

        Assert.Equal(InvocationStatus.Pending, first.Status);
        OperationUpdate start = Assert.Single(client.Updates);
        Assert.Equal(180, start.CallbackOptions!.TimeoutSeconds);
        Assert.Equal(30, start.CallbackOptions.HeartbeatTimeoutSeconds);
        Assert.Equal("true", second.Result);
    }

    [Fact]
    public async Task GetResultAsync_Failure_ThrowsCallbackFailedException()
    {
        var client = new FakeExecutionClient("0");
        string? id = null;
        async Task<string> Workflow(int _, IDurableContext context)
        {
            ICallback<string> callback = await context.CreateCallbackAsync<string>("approval");
            id = callback.CallbackId;
            try
            {
                return await callback.GetResultAsync();
            }
            catch (CallbackFailedException exception)
            {
                return "rejected: " + exception.Error.ErrorMessage;
            }
        }

        await client.InvokeAsync<int, string>(Workflow);
        client.CompleteCallback(id!, error: new ErrorObject { ErrorType = "Rejected", ErrorMessage = "no budget" });
        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, string>(Workflow);

        Assert.Equal("\"rejected: no budget\"", output.Result);
    }

    [Fact]
    public async Task GetResultAsync_TimedOut_ThrowsCallbackTimeoutException()
    {
        var client = new FakeExecutionClient("0");
        string? id = null;
        async Task<string> Workflow(int _, IDurableContext context)
        {
            ICallback<string> callback = await context.CreateCallbackAsync<string>("approval", new CallbackConfig { Timeout = TimeSpan.FromSeconds(5) });
            id = callback.CallbackId;
            try
            {
                return await callback.GetResultAsync();
            }
            catch (CallbackTimeoutException exception)
            {
                return exception.ErrorType!;
            }
        }

        await client.InvokeAsync<int, string>(Workflow);
        client.CompleteCallback(id!, error: new ErrorObject { ErrorType = "Callback.Timeout" }, status: OperationStatus.TimedOut);
        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, string>(Workflow);

        Assert.Equal("\"Callback.Timeout\"", output.Result);
    }

    [Fact]
    public async Task WaitForCallbackAsync_RecordsContextWithCallbackAndSubmitterStep()
    {
        var client = new FakeExecutionClient("0");
        string? submitted = null;
        Task<string> Workflow(int _, IDurableContext context) => context.WaitForCallbackAsync<string>((callbackId, _, _) =>
        {
            submitted = callbackId;
            return Task.CompletedTask;
        }, "approval");

        // A clock that does not move: the context's lazy START is not flushed alone, whatever the machine's speed.
        DurableExecutionInvocationOutput first = await client.InvokeAsync<int, string>(Workflow, new FakeTimeProvider(FakeExecutionClient.Now));
        client.CompleteCallback(submitted!, "\"yes\"");
        DurableExecutionInvocationOutput second = await client.InvokeAsync<int, string>(Workflow);

        Assert.Equal(InvocationStatus.Pending, first.Status);
        Assert.Equal("\"yes\"", second.Result);
        Operation context = client.Single(OperationType.Context, "approval");
        Assert.Equal("WaitForCallback", context.SubType);
        Assert.Equal(OperationStatus.Succeeded, context.Status);
        Operation callback = client.Single(OperationType.Callback);
        Operation submitter = client.Single(OperationType.Step);
        Assert.Equal(context.Id, callback.ParentId);
        Assert.Equal(context.Id, submitter.ParentId);
        // AWS's SDK names (the OTel conformance histories require them).
        Assert.Equal("approval create callback id", callback.Name);
        Assert.Equal("approval submitter", submitter.Name);
        // CONTEXT START and CALLBACK START travel together: the callback id is needed before the submitter runs.
        Assert.Equal([OperationType.Context, OperationType.Callback], client.Requests[0].Updates!.Select(u => u.Type));
    }

    [Fact]
    public async Task WaitForCallbackAsync_SubmitterFails_ThrowsCallbackSubmitterException()
    {
        var client = new FakeExecutionClient("0");
        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, string>(async (_, context) =>
        {
            try
            {
                return await context.WaitForCallbackAsync<string>((_, _, _) => throw new InvalidOperationException("mail server down"),
                    "approval", new WaitForCallbackConfig { RetryStrategy = RetryStrategy.None });
            }
            catch (CallbackSubmitterException exception)
            {
                return exception.Error.ErrorMessage!;
            }
        });

        Assert.Equal("\"mail server down\"", output.Result);
        Assert.Equal(OperationStatus.Failed, client.Single(OperationType.Context, "approval").Status);
    }

    [Fact]
    public async Task WaitForCallbackAsync_Unnamed_LeavesItsInnerOperationsUnnamed()
    {
        var client = new FakeExecutionClient("0");

        await client.InvokeAsync<int, string>((_, context) => context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask));

        Assert.Null(client.Single(OperationType.Callback).Name);
        Assert.Null(client.Single(OperationType.Step).Name);
    }

    [Fact]
    public async Task WaitForCallbackAsync_ReplaysARecordingWhoseInnerOperationsAreUnnamed()
    {
        // Executions recorded before the inner operations were named must still replay and finish.
        var client = new FakeExecutionClient("0");
        string? submitted = null;
        int submissions = 0;
        Task<string> Workflow(int _, IDurableContext context) => context.WaitForCallbackAsync<string>((callbackId, _, _) =>
        {
            submitted = callbackId;
            submissions++;
            return Task.CompletedTask;
        }, "approval");
        await client.InvokeAsync<int, string>(Workflow);
        foreach (Operation inner in client.Operations.Where(o => o.Type is OperationType.Callback or OperationType.Step))
        {
            client.Rewrite(inner.Id, recorded => recorded with { Name = null });
        }

        client.CompleteCallback(submitted!, "\"yes\"");
        DurableExecutionInvocationOutput second = await client.InvokeAsync<int, string>(Workflow);

        Assert.Equal(InvocationStatus.Succeeded, second.Status);
        Assert.Equal("\"yes\"", second.Result);
        Assert.Equal(1, submissions);
    }

    [Fact]
    public async Task WaitForCallbackAsync_AnUnnamedRecordingOfAnotherNameIsStillAMismatch()
    {
        var client = new FakeExecutionClient("0");
        await client.InvokeAsync<int, string>((_, context) => context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask));

        // Naming the wait later renames its inner operations: the recorded unnamed CONTEXT no longer matches.
        DurableExecutionInvocationOutput second = await client.InvokeAsync<int, string>(
            (_, context) => context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "approval"));

        Assert.Equal(InvocationStatus.Failed, second.Status);
        Assert.Contains("approval", second.Error!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForCallbackAsync_ANameWithNoRoomForItsInnerNames_IsRefusedWithTheLimit()
    {
        var client = new FakeExecutionClient("0");
        // 256, the longest operation name, less the 19 characters of " create callback id".
        string name = new('w', 238);

        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, string>(
            (_, context) => context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, name));

        Assert.Equal(InvocationStatus.Failed, output.Status);
        Assert.Contains("at most 237 characters", output.Error!.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(client.Operations, o => o.Type != OperationType.Execution);
        DurableExecutionInvocationOutput longest = await new FakeExecutionClient("0").InvokeAsync<int, string>(
            (_, context) => context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, name[1..]));
        Assert.Equal(InvocationStatus.Pending, longest.Status);
    }
}
