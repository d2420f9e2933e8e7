using Durably.Protocol;

namespace Durably;

internal sealed partial class DurableContext
{
    /// <summary>Recorded as the context's ErrorType when the submitter failed, so replay rethrows the same exception type.</summary>
    private const string SubmitterErrorType = "CallbackSubmitterError";

    /// <summary>The inner callback's name: the wait's name and this suffix (AWS's SDK names; unnamed when the wait is).</summary>
    internal const string CallbackNameSuffix = " create callback id";

    /// <summary>The inner submitter step's name: the wait's name and this suffix.</summary>
    internal const string SubmitterNameSuffix = " submitter";

    public Task<T> WaitForCallbackAsync<T>(Func<string, IWaitForCallbackContext, CancellationToken, Task> submitter, string? name = null,
        WaitForCallbackConfig? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        return WaitForCallbackAsync<T>((string callbackId, IStepContext step, CancellationToken token) => submitter(callbackId, step, token), name, config, cancellationToken);
    }

    public Task<T> WaitForCallbackAsync<T>(Func<string, IStepContext, CancellationToken, Task> submitter, string? name = null,
        WaitForCallbackConfig? config = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        cancellationToken.ThrowIfCancellationRequested();
        return Observe(WaitForCallbackAsync<T>(Linked<string, IStepContext>(submitter, cancellationToken), name, config), cancellationToken);
    }

    private Task<T> WaitForCallbackAsync<T>(Func<string, IStepContext, CancellationToken, Task> submitter, string? name, WaitForCallbackConfig? config)
    {
        config ??= new WaitForCallbackConfig();
        Durations.ToTimeoutSeconds(config.Timeout, nameof(config.Timeout));
        Durations.ToTimeoutSeconds(config.HeartbeatTimeout, nameof(config.HeartbeatTimeout));
        ValidateName(name);
        if (name is not null && name.Length + CallbackNameSuffix.Length > MaxNameLength)
        {
            throw new ArgumentException(
                $"A wait-for-callback's name must be at most {MaxNameLength - CallbackNameSuffix.Length} characters: its inner callback is named " +
                $"\"<name>{CallbackNameSuffix}\" and an operation name holds at most {MaxNameLength}; got {name.Length} characters.", nameof(name));
        }

        IDurableSerializer serializer = config.Serializer ?? _invocation.Serializer;

        string? callbackName = name is null ? null : name + CallbackNameSuffix;
        string? submitterName = name is null ? null : name + SubmitterNameSuffix;
        return RunChildAsync<T>(name, "WaitForCallback", serializer, async (child, _) =>
        {
            ICallback<T> callback = await child.CreateCallbackAsync<T>(callbackName, new CallbackConfig
            {
                Timeout = config.Timeout,
                HeartbeatTimeout = config.HeartbeatTimeout,
                Serializer = serializer,
            }, CancellationToken.None).ConfigureAwait(false);
            try
            {
                await child.StepAsync((step, cancellationToken) => submitter(callback.CallbackId, step, cancellationToken),
                    submitterName, new StepConfig { RetryStrategy = config.RetryStrategy }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (StepException exception)
            {
                throw new CallbackSubmitterException(exception.Error with { ErrorType = SubmitterErrorType }, exception);
            }

            return await callback.GetResultAsync(CancellationToken.None).ConfigureAwait(false);
        }, CallbackExceptionFor,
            // Executions recorded before the inner operations were named replay unchanged.
            onChildCreated: child => child._namesOnceRecordedUnnamed = [.. new[] { callbackName, submitterName }.OfType<string>()]);
    }

    private static Exception CallbackExceptionFor(ErrorObject error, Exception? original) => error.ErrorType switch
    {
        SubmitterErrorType => new CallbackSubmitterException(error, original),
        "Callback.Timeout" or "Callback.Heartbeat" => new CallbackTimeoutException(error),
        _ => new CallbackFailedException(error),
    };
}
