using Durably.Protocol;
using Durably.Replay;
using Durably.Telemetry;

namespace Durably;

internal sealed partial class DurableContext
{
    public Task<TResult> InvokeAsync<TPayload, TResult>(string functionName, TPayload payload, string? name = null, InvokeConfig? config = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        ValidateName(name);
        config ??= new InvokeConfig();
        string? input = SerializeWithinLimit(config.PayloadSerializer ?? _invocation.Serializer, payload, out ErrorObject? tooLarge);
        if (tooLarge is not null)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), tooLarge.ErrorMessage);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Observe(InvokeAsync<TResult>(functionName, input, name, config), cancellationToken);
    }

    private async Task<TResult> InvokeAsync<TResult>(string functionName, string? input, string? name, InvokeConfig config)
    {
        (string id, Operation? operation) = Begin(OperationType.ChainedInvoke, name, "ChainedInvoke");
        OperationSpan? span = StartSpan(id, operation, OperationType.ChainedInvoke, "ChainedInvoke", name);
        if (Performed(ReplayDecisions.Invoke(operation)) == ReplayAction.Start)
        {
            operation = await CheckpointAsync(Update(id, OperationType.ChainedInvoke, OperationAction.Start, name, "ChainedInvoke") with
            {
                Payload = input,
                ChainedInvokeOptions = new ChainedInvokeOptions { FunctionName = functionName, TenantId = config.TenantId, TraceParent = span?.TraceParent },
            }).ConfigureAwait(false);
        }

        IDurableSerializer resultSerializer = config.ResultSerializer ?? _invocation.Serializer;
        while (true)
        {
            // A START acknowledged without a record waits for the record like a STARTED one.
            ReplayAction action = operation is null ? ReplayAction.WaitForChange : Performed(ReplayDecisions.Invoke(operation));
            if (action != ReplayAction.WaitForChange)
            {
                span?.End(operation!.Status);
            }

            ErrorObject error = operation?.ChainedInvokeDetails?.Error ?? new ErrorObject { ErrorType = "InvokeFailed" };
            switch (action)
            {
                case ReplayAction.ReturnResult:
                    return resultSerializer.Deserialize<TResult>(operation!.ChainedInvokeDetails?.Result)!;
                case ReplayAction.ThrowFailed:
                    throw new InvokeFailedException(error) { FunctionName = functionName };
                case ReplayAction.ThrowTimedOut:
                    throw new InvokeTimedOutException(error) { FunctionName = functionName };
                case ReplayAction.ThrowStopped:
                    throw new InvokeStoppedException(error) { FunctionName = functionName };
                default:
                    operation = await WaitForChangeAsync(id, operation).ConfigureAwait(false);
                    break;
            }
        }
    }
}
