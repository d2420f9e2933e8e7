using Durably.Protocol;
using Microsoft.Extensions.Logging;

namespace Durably.Engine;

/// <summary>Adapters from C# functions to <see cref="InvocationHandler"/>.</summary>
public static class FunctionHandlers
{
    /// <summary>A durable function run in process by <see cref="DurableFunction.WrapAsync{TInput, TOutput}"/>.</summary>
    public static InvocationHandler Durable<TInput, TOutput>(
        string name, Func<TInput, IDurableContext, Task<TOutput>> workflow,
        IDurableSerializer? serializer = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null,
        Durably.Telemetry.DurableTracingOptions? tracing = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var options = new DurableFunctionOptions { Serializer = serializer, LoggerFactory = loggerFactory, FunctionName = name, TimeProvider = timeProvider, Tracing = tracing };
        return (input, client, cancellationToken) => DurableFunction.WrapAsync(workflow, input, client, options, cancellationToken);
    }

    /// <summary>A durable function without a result.</summary>
    public static InvocationHandler Durable<TInput>(
        string name, Func<TInput, IDurableContext, Task> workflow,
        IDurableSerializer? serializer = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null,
        Durably.Telemetry.DurableTracingOptions? tracing = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var options = new DurableFunctionOptions { Serializer = serializer, LoggerFactory = loggerFactory, FunctionName = name, TimeProvider = timeProvider, Tracing = tracing };
        return (input, client, cancellationToken) => DurableFunction.WrapAsync(workflow, input, client, options, cancellationToken);
    }

    /// <summary>
    /// A plain (non-durable) function, e.g. an invoke target: it runs once per invocation, never
    /// checkpoints, and its return value or exception ends the execution.
    /// </summary>
    public static InvocationHandler Plain<TInput, TOutput>(Func<TInput, Task<TOutput>> function, IDurableSerializer? serializer = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        IDurableSerializer payloads = serializer ?? JsonDurableSerializer.Default;
        return async (input, client, cancellationToken) =>
        {
            IReadOnlyList<Operation> operations = input.InitialExecutionState.Operations;
            string? payload = operations.Count > 0 ? operations[0].ExecutionDetails?.InputPayload : null;
            try
            {
                TOutput output = await function(payloads.Deserialize<TInput>(payload)!).ConfigureAwait(false);
                return new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = payloads.Serialize(output) };
            }
#pragma warning disable CA1031 // The function's exception is its outcome, reported as FAILED.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                return new DurableExecutionInvocationOutput { Status = InvocationStatus.Failed, Error = ErrorObject.FromException(exception) };
            }
        };
    }
}
