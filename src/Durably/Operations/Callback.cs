using Durably.Protocol;
using Durably.Replay;
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
        ReplayAction action = Performed(ReplayDecisions.CreateCallback(operation));
        if (action == ReplayAction.Start)
        {
            operation = await CheckpointAsync(Update(id, OperationType.Callback, OperationAction.Start, name, "Callback") with
            {
                CallbackOptions = new CallbackOptions
                {
                    TimeoutSeconds = timeout > 0 ? timeout : null,
                    HeartbeatTimeoutSeconds = heartbeat > 0 ? heartbeat : null,
                },
            }).ConfigureAwait(false);
        }
        else if (action == ReplayAction.WaitForChange)
        {
            operation = await WaitForChangeAsync(id, operation).ConfigureAwait(false);
        }

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
                ReplayAction action = ReplayDecisions.CallbackResult(operation);
                if (action != ReplayAction.WaitForChange)
                {
                    span?.End(operation!.Status);
                }

                switch (action)
                {
                    case ReplayAction.ReturnResult:
                        return serializer.Deserialize<T>(operation!.CallbackDetails?.Result)!;
                    case ReplayAction.ThrowFailed:
                        throw new CallbackFailedException(operation!.CallbackDetails?.Error ?? new ErrorObject { ErrorType = "CallbackFailed" }) { CallbackId = callbackId };
                    case ReplayAction.ThrowTimedOut:
                        throw new CallbackTimeoutException(operation!.CallbackDetails?.Error ?? new ErrorObject { ErrorType = "Callback.Timeout" }) { CallbackId = callbackId };
                    default:
                        operation = await context.WaitForChangeAsync(operationId, operation).ConfigureAwait(false);
                        break;
                }
            }
        }
    }
}
