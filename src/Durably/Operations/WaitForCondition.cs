using Durably.Protocol;
using Durably.Replay;
using Durably.Telemetry;

namespace Durably;

internal sealed partial class DurableContext
{
    public Task<TState> WaitForConditionAsync<TState>(Func<TState, IConditionCheckContext, CancellationToken, Task<TState>> check,
        WaitForConditionConfig<TState> config, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        return WaitForConditionAsync((TState state, IStepContext step, CancellationToken token) => check(state, step, token), config, name, cancellationToken);
    }

    public Task<TState> WaitForConditionAsync<TState>(Func<TState, IStepContext, CancellationToken, Task<TState>> check,
        WaitForConditionConfig<TState> config, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(config.WaitStrategy);
        ValidateName(name);
        cancellationToken.ThrowIfCancellationRequested();
        return Observe(WaitForConditionAsync(Linked(check, cancellationToken), config, name), cancellationToken);
    }

    private async Task<TState> WaitForConditionAsync<TState>(Func<TState, IStepContext, CancellationToken, Task<TState>> check,
        WaitForConditionConfig<TState> config, string? name)
    {
        const string subType = "WaitForCondition";
        (string id, Operation? operation) = Begin(OperationType.Step, name, subType);
        OperationSpan? span = StartSpan(id, operation, OperationType.Step, subType, name);
        IDurableSerializer serializer = config.Serializer ?? _invocation.Serializer;

        while (true)
        {
            ReplayAction action = Performed(ReplayDecisions.WaitForCondition(operation));
            switch (action)
            {
                case ReplayAction.ReturnResult:
                    span?.End(OperationStatus.Succeeded, operation!.StepDetails?.Attempt);
                    return serializer.Deserialize<TState>(operation!.StepDetails?.Result)!;
                case ReplayAction.ThrowFailed:
                    span?.End(OperationStatus.Failed, operation!.StepDetails?.Attempt);
                    throw new WaitForConditionException(operation!.StepDetails?.Error ?? new ErrorObject { ErrorType = "WaitForConditionFailed" },
                        checks: operation.StepDetails?.Attempt);
                case ReplayAction.WaitForChange:
                    operation = await WaitForChangeAsync(id, operation).ConfigureAwait(false);
                    continue;
            }

            // Start, StartAttempt or RerunAttempt (an interrupted check): run the next check with the last polled state.
            int attempt = (operation?.StepDetails?.Attempt ?? 0) + 1;
            TState state = operation?.StepDetails?.Result is { } recorded ? serializer.Deserialize<TState>(recorded)! : config.InitialState;
            if (action is ReplayAction.Start or ReplayAction.StartAttempt)
            {
                CheckpointLazily(Update(id, OperationType.Step, OperationAction.Start, name, subType));
            }

            Task<Operation?> acknowledged;
            string? payload = null;
            ErrorObject? error = null;
            Exception? failure = null;
            WaitDecision decision = default;
            var attemptSpans = span?.StartAttempt(attempt) ?? default;
            _invocation.EnterExecuting();
            try
            {
                try
                {
                    TState next = await check(state, CreateStepContext(id, name, attempt), _invocation.CancellationToken).ConfigureAwait(false);
                    payload = SerializeWithinLimit(serializer, next, out error);
                    if (error is null)
                    {
                        decision = config.WaitStrategy.Decide(serializer.Deserialize<TState>(payload)!, attempt);
                    }
                }
                catch (WaitForConditionException exhausted)
                {
                    failure = exhausted;
                    error = exhausted.Error with { ErrorData = payload };
                }
                catch (Exception exception) when (!IsFatal(exception))
                {
                    failure = exception;
                    error = ToError(exception);
                }

                acknowledged = CheckpointAsync(error is not null
                    ? Update(id, OperationType.Step, OperationAction.Fail, name, subType) with { Error = error }
                    : decision.ShouldContinue
                        ? Update(id, OperationType.Step, OperationAction.Retry, name, subType) with
                        {
                            Payload = payload,
                            StepOptions = new StepOptions { NextAttemptDelaySeconds = Durations.ToDelaySeconds(decision.Delay) },
                        }
                        : Update(id, OperationType.Step, OperationAction.Succeed, name, subType) with { Payload = payload });
            }
            finally
            {
                _invocation.ExitExecuting();
            }

            OperationSpan.EndAttempt(attemptSpans, succeeded: error is null);
            operation = await acknowledged.ConfigureAwait(false);
            if (error is not null)
            {
                span?.End(OperationStatus.Failed, attempt);
                throw new WaitForConditionException(error, failure, attempt);
            }

            if (!decision.ShouldContinue)
            {
                span?.End(OperationStatus.Succeeded, attempt);
                return serializer.Deserialize<TState>(payload)!;
            }
        }
    }
}
