using Durably.Protocol;
using Durably.Replay;
using Durably.Telemetry;

namespace Durably;

internal sealed partial class DurableContext
{
    public Task<T> StepAsync<T>(Func<IStepContext, CancellationToken, Task<T>> func, string? name = null, StepConfig? config = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        ValidateName(name);
        cancellationToken.ThrowIfCancellationRequested();
        return Observe(RunStepAsync(Linked(func, cancellationToken), name, config ?? DefaultStepConfig, recordResult: true), cancellationToken);
    }

    public Task StepAsync(Func<IStepContext, CancellationToken, Task> func, string? name = null, StepConfig? config = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        ValidateName(name);
        cancellationToken.ThrowIfCancellationRequested();
        return Observe(RunStepAsync(Linked<IStepContext, object?>(async (step, token) =>
        {
            await func(step, token).ConfigureAwait(false);
            return null;
        }, cancellationToken), name, config ?? DefaultStepConfig, recordResult: false), cancellationToken);
    }

    private async Task<T> RunStepAsync<T>(Func<IStepContext, CancellationToken, Task<T>> func, string? name, StepConfig config, bool recordResult)
    {
        const string subType = "Step";
        (string id, Operation? operation) = Begin(OperationType.Step, name, subType);
        OperationSpan? span = StartSpan(id, operation, OperationType.Step, subType, name);
        IDurableSerializer serializer = config.Serializer ?? _invocation.Serializer;
        IRetryStrategy retryStrategy = config.RetryStrategy ?? RetryStrategy.Default;

        while (true)
        {
            int attempt = (operation?.StepDetails?.Attempt ?? 0) + 1;
            ReplayAction action = Performed(ReplayDecisions.Step(operation, config.Semantics));
            switch (action)
            {
                case ReplayAction.ReturnResult:
                    span?.End(OperationStatus.Succeeded, attempt - 1);
                    return recordResult ? serializer.Deserialize<T>(operation!.StepDetails?.Result)! : default!;

                case ReplayAction.ThrowFailed:
                    span?.End(OperationStatus.Failed, attempt - 1);
                    throw StepFailure(operation!.StepDetails?.Error, innerException: null);

                case ReplayAction.WaitForChange:
                    operation = await WaitForChangeAsync(id, operation).ConfigureAwait(false);
                    continue;

                case ReplayAction.InterruptedAttempt:
                {
                    // The attempt began durably but recorded no outcome: the process died mid-body.
                    // At-most-once forbids running it again blindly; the retry strategy decides.
                    var interrupted = new StepInterruptedException(new ErrorObject
                    {
                        ErrorType = StepInterruptedException.InterruptedErrorType,
                        ErrorMessage = $"Attempt {attempt} of step {name ?? id} was interrupted before it recorded an outcome.",
                    });
                    operation = await CheckpointFailureAsync(id, name, subType, attempt, interrupted, retryStrategy).ConfigureAwait(false);
                    continue;
                }

                default: // Start, StartAttempt, RerunAttempt
                {
                    if (action is ReplayAction.Start or ReplayAction.StartAttempt)
                    {
                        OperationUpdate start = Update(id, OperationType.Step, OperationAction.Start, name, subType);
                        if (config.Semantics == StepSemantics.AtMostOncePerRetry)
                        {
                            await CheckpointAsync(start).ConfigureAwait(false);
                        }
                        else
                        {
                            CheckpointLazily(start);
                        }
                    }

                    (bool succeeded, T value, Operation? next) = await RunAttemptAsync(func, id, name, subType, attempt, serializer, retryStrategy, recordResult, span).ConfigureAwait(false);
                    if (succeeded)
                    {
                        return value;
                    }

                    operation = next;
                    continue;
                }
            }
        }
    }

    /// <summary>Runs one attempt and checkpoints its outcome; returns the value, or the step's record after RETRY.</summary>
    private async Task<(bool Succeeded, T Value, Operation? Next)> RunAttemptAsync<T>(
        Func<IStepContext, CancellationToken, Task<T>> func, string id, string? name, string subType, int attempt,
        IDurableSerializer serializer, IRetryStrategy retryStrategy, bool recordResult, OperationSpan? span)
    {
        var attemptSpans = span?.StartAttempt(attempt) ?? default;
        Task<Operation?> acknowledged;
        string? payload = null;
        Exception? failure = null;
        ErrorObject? failureError = null;
        RetryDecision decision = default;
        _invocation.EnterExecuting();
        try
        {
            try
            {
                T result = await func(CreateStepContext(id, name, attempt), _invocation.CancellationToken).ConfigureAwait(false);
                payload = recordResult ? SerializeWithinLimit(serializer, result, out failureError) : null;
            }
            catch (Exception exception) when (!IsFatal(exception))
            {
                failure = exception;
            }

            if (failure is null && failureError is null)
            {
                OperationUpdate succeed = Update(id, OperationType.Step, OperationAction.Succeed, name, subType) with { Payload = payload };
                acknowledged = CheckpointAsync(succeed);
            }
            else if (failureError is not null)
            {
                // An oversize result fails the step at once: another attempt would produce it again.
                acknowledged = CheckpointAsync(Update(id, OperationType.Step, OperationAction.Fail, name, subType) with { Error = failureError });
            }
            else
            {
                failureError = ToError(failure!);
                decision = retryStrategy.ShouldRetry(failure!, attempt);
                acknowledged = CheckpointAsync(decision.ShouldRetry
                    ? RetryUpdate(id, name, subType, failureError, decision.Delay)
                    : Update(id, OperationType.Step, OperationAction.Fail, name, subType) with { Error = failureError });
            }
        }
        finally
        {
            _invocation.ExitExecuting();
        }

        OperationSpan.EndAttempt(attemptSpans, succeeded: failureError is null);
        Operation? acknowledgedRecord = await acknowledged.ConfigureAwait(false);
        if (failureError is null)
        {
            span?.End(OperationStatus.Succeeded, attempt);
            return (true, recordResult ? serializer.Deserialize<T>(payload)! : default!, null);
        }

        if (decision.ShouldRetry)
        {
            return (false, default!, acknowledgedRecord);
        }

        span?.End(OperationStatus.Failed, attempt);
        throw StepFailure(failureError, failure);
    }

    /// <summary>Feeds a failure that happened outside the body (an interrupted attempt) to the retry strategy.</summary>
    private async Task<Operation?> CheckpointFailureAsync(string id, string? name, string subType, int attempt, StepException failure, IRetryStrategy retryStrategy)
    {
        RetryDecision decision = retryStrategy.ShouldRetry(failure, attempt);
        if (decision.ShouldRetry)
        {
            return await CheckpointAsync(RetryUpdate(id, name, subType, failure.Error, decision.Delay)).ConfigureAwait(false);
        }

        await CheckpointAsync(Update(id, OperationType.Step, OperationAction.Fail, name, subType) with { Error = failure.Error }).ConfigureAwait(false);
        throw failure;
    }

    private OperationUpdate RetryUpdate(string id, string? name, string subType, ErrorObject error, TimeSpan delay) =>
        Update(id, OperationType.Step, OperationAction.Retry, name, subType) with
        {
            Error = error,
            StepOptions = new StepOptions { NextAttemptDelaySeconds = Durations.ToDelaySeconds(delay) },
        };

    private static StepException StepFailure(ErrorObject? error, Exception? innerException)
    {
        error ??= new ErrorObject { ErrorType = "StepFailed", ErrorMessage = "The step failed." };
        return error.ErrorType == StepInterruptedException.InterruptedErrorType
            ? new StepInterruptedException(error)
            : new StepException(error, innerException);
    }
}
