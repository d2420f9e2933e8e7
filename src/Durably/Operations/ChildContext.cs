using Durably.Protocol;
using Durably.Replay;
using Durably.Telemetry;

namespace Durably;

internal sealed partial class DurableContext
{
    public Task<T> RunInChildContextAsync<T>(Func<IDurableContext, CancellationToken, Task<T>> func, string? name = null, ChildContextConfig? config = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        ValidateName(name);
        ValidateSubType(config?.SubType);
        cancellationToken.ThrowIfCancellationRequested();
        string subType = config?.SubType ?? "RunInChildContext";
        IDurableSerializer serializer = config?.Serializer ?? _invocation.Serializer;
        Func<IDurableContext, CancellationToken, Task<T>> linked = Linked(func, cancellationToken);
        Task<T> run = config?.NestingType == NestingType.Flat
            ? RunVirtualChildAsync(name, subType, serializer, linked, config.ErrorMapping)
            : RunChildAsync(name, subType, serializer, linked, (error, original) => MapError(config?.ErrorMapping, new ChildContextException(error, original) { SubType = subType }));
        return Observe(run, cancellationToken);
    }

    public Task RunInChildContextAsync(Func<IDurableContext, CancellationToken, Task> func, string? name = null, ChildContextConfig? config = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return RunInChildContextAsync<object?>(async (child, token) =>
        {
            await func(child, token).ConfigureAwait(false);
            return null;
        }, name, config, cancellationToken);
    }

    /// <summary><see cref="ChildContextConfig.ErrorMapping"/> applied to a child's failure (first run and replay alike); null keeps the original.</summary>
    private static Exception MapError(Func<Exception, Exception>? errorMapping, ChildContextException failure) =>
        errorMapping?.Invoke(failure) ?? failure;

    /// <summary>
    /// A CONTEXT operation around <paramref name="func"/>. A result over the payload limit is not
    /// stored: the context succeeds with <c>ReplayChildren</c> and replay re-runs the body, whose
    /// children all return their recorded results, to rebuild it.
    /// </summary>
    private async Task<T> RunChildAsync<T>(string? name, string subType, IDurableSerializer serializer,
        Func<IDurableContext, CancellationToken, Task<T>> func, Func<ErrorObject, Exception?, Exception> toException,
        int? sequence = null, Action<DurableContext>? onChildCreated = null)
    {
        (string id, Operation? operation) = Begin(OperationType.Context, name, subType, sequence);
        OperationSpan? span = StartSpan(id, operation, OperationType.Context, subType, name);
        DurableContext child = CreateChild(id, id, span);
        onChildCreated?.Invoke(child);

        switch (Performed(ReplayDecisions.Context(operation)))
        {
            case ReplayAction.ReturnResult:
                return serializer.Deserialize<T>(operation!.ContextDetails?.Result)!;

            case ReplayAction.Rebuild:
                T rebuilt = await func(child, _invocation.CancellationToken).ConfigureAwait(false);
                return serializer.Deserialize<T>(serializer.Serialize(rebuilt))!;

            case ReplayAction.ThrowFailed:
                throw toException(operation!.ContextDetails?.Error ?? new ErrorObject { ErrorType = "ChildContextFailed" }, null);

            case ReplayAction.WaitForChange: // a replay-only invocation reached new ground: it stops here
                await WaitForChangeAsync(id, operation).ConfigureAwait(false);
                break;

            case ReplayAction.Start:
                CheckpointLazily(Update(id, OperationType.Context, OperationAction.Start, name, subType));
                break;
        }

        T result;
        try
        {
            result = await func(child, _invocation.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!IsFatal(exception))
        {
            ErrorObject error = ToError(exception);
            await CheckpointAsync(Update(id, OperationType.Context, OperationAction.Fail, name, subType) with { Error = error }).ConfigureAwait(false);
            span?.End(OperationStatus.Failed);
            throw toException(error, exception);
        }

        string? payload = serializer.Serialize(result);
        bool replayChildren = IsOverLimit(payload);
        await CheckpointAsync(Update(id, OperationType.Context, OperationAction.Succeed, name, subType) with
        {
            Payload = replayChildren ? null : payload,
            ContextOptions = replayChildren ? new ContextOptions { ReplayChildren = true } : null,
        }).ConfigureAwait(false);
        span?.End(OperationStatus.Succeeded);
        return serializer.Deserialize<T>(payload)!;
    }

    private static void ValidateSubType(string? subType)
    {
        if (subType is not null && (subType.Length is 0 or > 32 || !subType.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            throw new ArgumentException($"A sub-type must be 1 to 32 characters of [a-zA-Z0-9-_]; got \"{subType}\".", nameof(subType));
        }
    }
}
