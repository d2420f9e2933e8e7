using System.Threading.Channels;
using Durably.Engine;
using Durably.Protocol;

namespace Durably.Server.Tests.Infrastructure;

/// <summary>
/// A raw function whose invocations are handed to the test: the test reads the envelope, talks to the
/// server with its token, and decides what the invocation returns.
/// </summary>
public sealed class InvocationProbe
{
    private readonly Channel<ProbedInvocation> _invocations = Channel.CreateUnbounded<ProbedInvocation>();

    public InvocationHandler Handler => async (input, _, cancellationToken) =>
    {
        var invocation = new ProbedInvocation(input);
        await _invocations.Writer.WriteAsync(invocation, cancellationToken);
        return await invocation.Output.Task.WaitAsync(cancellationToken);
    };

    public async Task<ProbedInvocation> NextAsync() => await _invocations.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}

public sealed class ProbedInvocation(DurableExecutionInvocationInput input)
{
    public DurableExecutionInvocationInput Input { get; } = input;

    public TaskCompletionSource<DurableExecutionInvocationOutput> Output { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Return(InvocationStatus status, string? result = null) =>
        Output.SetResult(new DurableExecutionInvocationOutput { Status = status, Result = result });
}
