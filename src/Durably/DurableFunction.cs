using Durably.Protocol;
using Durably.Replay;
using Durably.Telemetry;

namespace Durably;

/// <summary>Runs a durable function for one invocation: replays the log, executes new operations, checkpoints.</summary>
public static class DurableFunction
{
    /// <summary>Runs <paramref name="workflow"/> for the invocation <paramref name="input"/>.</summary>
    /// <returns>SUCCEEDED with the serialized result, FAILED with the error, or PENDING when suspended.</returns>
    /// <exception cref="DurableServiceException">An invocation-level failure (stale token, throttling, server error): the service retries the invocation.</exception>
    public static async Task<DurableExecutionInvocationOutput> WrapAsync<TInput, TOutput>(
        Func<TInput, IDurableContext, Task<TOutput>> workflow,
        DurableExecutionInvocationInput input, IDurableExecutionClient client,
        DurableFunctionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(client);
        options ??= new DurableFunctionOptions();
        IDurableSerializer serializer = options.Serializer ?? JsonDurableSerializer.Default;
        IReadOnlyList<Operation> operations = await LoadOperationsAsync(input, client, cancellationToken).ConfigureAwait(false);
        Operation execution = operations.FirstOrDefault(o => o.Type == OperationType.Execution)
            ?? throw new ArgumentException("The invocation input holds no EXECUTION operation.", nameof(input));

        InvocationTracer? tracer = InvocationTracer.Start(input.DurableExecutionArn, operations, options.Tracing ?? DurableTracingOptions.Default,
            options.TraceParent ?? input.TraceParent);
        using var invocation = new Invocation(input, operations, client, serializer, options.LoggerFactory, options.FunctionName,
            options.TimeProvider ?? TimeProvider.System, tracer, cancellationToken)
        {
            StopsAtRecordingEnd = options.StopsAtRecordingEnd,
        };
        InvocationStatus status = InvocationStatus.Failed;
        try
        {
            DurableExecutionInvocationOutput output = await RunAsync(workflow, invocation, execution, serializer).ConfigureAwait(false);
            status = output.Status;
            return output;
        }
        finally
        {
            tracer?.End(status);
        }
    }

    private static async Task<DurableExecutionInvocationOutput> RunAsync<TInput, TOutput>(
        Func<TInput, IDurableContext, Task<TOutput>> workflow, Invocation invocation, Operation execution, IDurableSerializer serializer)
    {
        DurableContext root = DurableContext.CreateRoot(invocation);

        // Task.Run leaves any caller's synchronization context behind, so operation completions
        // resume user code inline and the suspension check sees its effect.
        // Until the workflow first awaits, it is running code the suspension check cannot see.
        Task<TOutput> user = Task.Run(() =>
        {
            invocation.EnterExecuting();
            try
            {
                TInput typedInput = serializer.Deserialize<TInput>(execution.ExecutionDetails?.InputPayload)!;
                return workflow(typedInput, root);
            }
            finally
            {
                invocation.ExitExecuting();
            }
        }, CancellationToken.None);

        await Task.WhenAny(user, invocation.Ended).ConfigureAwait(false);
        if (invocation.Ended.IsCompleted)
        {
            return Ended(invocation.Ended.Result);
        }

        if (user.IsFaulted)
        {
            return Failed(user.Exception!.InnerException!);
        }

        if (user.IsCanceled)
        {
            return Failed(new OperationCanceledException("The workflow was cancelled."));
        }

        // Everything the workflow queued must be durable before the invocation reports its result.
        await Task.WhenAny(invocation.Batcher.DrainAsync(), invocation.Ended).ConfigureAwait(false);
        if (invocation.Ended.IsCompleted && invocation.Ended.Result is { } drainFailure)
        {
            return Failed(drainFailure);
        }

        invocation.Batcher.Close();
        return new DurableExecutionInvocationOutput
        {
            Status = InvocationStatus.Succeeded,
            Result = serializer.Serialize(user.Result),
        };
    }

    /// <summary>Runs <paramref name="workflow"/> (no result) for the invocation <paramref name="input"/>.</summary>
    public static Task<DurableExecutionInvocationOutput> WrapAsync<TInput>(
        Func<TInput, IDurableContext, Task> workflow,
        DurableExecutionInvocationInput input, IDurableExecutionClient client,
        DurableFunctionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return WrapAsync<TInput, NoResult?>(async (value, context) =>
        {
            await workflow(value, context).ConfigureAwait(false);
            return null;
        }, input, client, options, cancellationToken);
    }

    private static DurableExecutionInvocationOutput Ended(Exception? failure) => failure is null
        ? new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending }
        : Failed(failure);

    /// <summary>
    /// A failure of the workflow or of a checkpoint. Retryable service errors (a stale token,
    /// throttling, a server error) end the invocation with an exception so the service retries
    /// it; anything else fails the execution.
    /// </summary>
    private static DurableExecutionInvocationOutput Failed(Exception exception)
    {
        if (exception is DurableServiceException { IsRetryable: true })
        {
            throw exception;
        }

        ErrorObject error = exception switch
        {
            DurableServiceException service => new ErrorObject
            {
                ErrorType = service.ErrorCode,
                ErrorMessage = $"[Unrecoverable Execution] Checkpoint failed: {service.Message}",
            },
            NonDeterministicExecutionException nonDeterministic => nonDeterministic.Error,
            _ => ErrorObject.FromException(exception),
        };
        return new DurableExecutionInvocationOutput { Status = InvocationStatus.Failed, Error = error };
    }

    private static async Task<IReadOnlyList<Operation>> LoadOperationsAsync(DurableExecutionInvocationInput input, IDurableExecutionClient client, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(input.InitialExecutionState.NextMarker))
        {
            return input.InitialExecutionState.Operations;
        }

        var operations = new List<Operation>(input.InitialExecutionState.Operations);
        string? marker = input.InitialExecutionState.NextMarker;
        while (!string.IsNullOrEmpty(marker))
        {
            GetDurableExecutionStateResponse page = await client.GetExecutionStateAsync(new GetDurableExecutionStateRequest
            {
                DurableExecutionArn = input.DurableExecutionArn,
                CheckpointToken = input.CheckpointToken,
                Marker = marker,
                MaxItems = 1000,
            }, cancellationToken).ConfigureAwait(false);
            operations.AddRange(page.Operations);
            marker = page.NextMarker;
        }

        return operations;
    }

    /// <summary>The result type of functions without a result: serialized as JSON null.</summary>
    private sealed class NoResult;
}
