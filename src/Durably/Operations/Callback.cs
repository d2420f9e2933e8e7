using Durably.Protocol;
using Durably.Telemetry;

namespace Durably;

internal sealed partial class DurableContext
{
    public Task<ICallback<T>> CreateCallbackAsync<T>(string? name = null, CallbackConfig? config = null, CancellationToken cancellationToken = default)
    {
        config ??= new CallbackConfig();
        int timeout = Durations.ToTimeoutSeconds(config.Timeout, nameof(config.Timeout));
        int heartbeat = Durations.ToTimeoutSeconds(config.HeartbeatTimeout, nameof(config.HeartbeatTimeout));
        ValidateName(name);
        cancellationToken.ThrowIfCancellationRequested();
        return Observe(CreateCallbackAsync<T>(name, config, timeout, heartbeat), cancellationToken);
    }

    private async Task<ICallback<T>> CreateCallbackAsync<T>(string? name, CallbackConfig config, int timeout, int heartbeat)
    {
        (string id, Operation? operation) = Begin(OperationType.Callback, name, "Callback");
        OperationSpan? span = StartSpan(id, operation, OperationType.Callback, "Callback", name);
        operation ??= await CheckpointAsync(Update(id, OperationType.Callback, OperationAction.Start, name, "Callback") with
        {
            CallbackOptions = new CallbackOptions
            {
                TimeoutSeconds = timeout > 0 ? timeout : null,
                HeartbeatTimeoutSeconds = heartbeat > 0 ? heartbeat : null,
            },
        }).ConfigureAwait(false);

        string callbackId = operation?.CallbackDetails?.CallbackId
            ?? throw new InvalidOperationException($"The service answered callback {id} without a CallbackId.");
        return new Callback<T>(this, id, callbackId, config.Serializer ?? _invocation.Serializer, span);
    }

    private sealed class Callback<T>(DurableContext context, string operationId, string callbackId, IDurableSerializer serializer, OperationSpan? span) : ICallback<T>
    {
        public string CallbackId => callbackId;

        public Task<T> GetResultAsync(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Observe(GetResultAsync(), cancellationToken);
        }

        private async Task<T> GetResultAsync()
        {
            Operation? operation = context._invocation.Log.Get(operationId);
            while (true)
            {
                if (operation?.Status is OperationStatus.Succeeded or OperationStatus.Failed or OperationStatus.TimedOut)
                {
                    span?.End(operation.Status);
                }

                switch (operation?.Status)
                {
                    case OperationStatus.Succeeded:
                        return serializer.Deserialize<T>(operation.CallbackDetails?.Result)!;
                    case OperationStatus.Failed:
                        throw new CallbackFailedException(operation.CallbackDetails?.Error ?? new ErrorObject { ErrorType = "CallbackFailed" }) { CallbackId = callbackId };
                    case OperationStatus.TimedOut:
                        throw new CallbackTimeoutException(operation.CallbackDetails?.Error ?? new ErrorObject { ErrorType = "Callback.Timeout" }) { CallbackId = callbackId };
                    default:
                        operation = await context.WaitForChangeAsync(operationId, operation).ConfigureAwait(false);
                        break;
                }
            }
        }
    }
}
