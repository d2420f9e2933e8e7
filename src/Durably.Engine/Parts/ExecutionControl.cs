using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Logging;

namespace Durably.Engine;

/// <summary>The control plane: starts executions (idempotently by name), stops them and applies callback answers.</summary>
internal sealed class ExecutionControl(
    ExecutionCommitter commits, InvocationRunner invocations, FunctionRegistry functions, DurablyOptions options, TimeProvider time, ILogger logger, Action wake)
{
    private DateTimeOffset Now => time.GetUtcNow();

    public async Task<StartExecutionResult> StartExecutionAsync(
        string functionName, string? inputPayload, string? executionName, string? qualifier, CancellationToken cancellationToken)
    {
        RegisteredFunction function = functions.Resolve(functionName, qualifier);
        if (executionName is not null)
        {
            EngineLimits.CheckId("DurableExecutionName", executionName);
        }

        long inputBytes = EngineLimits.PayloadBytes(inputPayload);
        if (inputBytes > EngineLimits.MaxPayloadBytes)
        {
            throw ServiceErrorCodes.TooLarge($"The input payload exceeds {EngineLimits.MaxPayloadBytes} bytes (256 KiB).");
        }

        if (inputBytes > options.MaxBytesWrittenPerExecution)
        {
            throw ServiceErrorCodes.InvalidParameter(
                $"The input payload is {inputBytes} bytes; the limit is {options.MaxBytesWrittenPerExecution} bytes written per execution.");
        }

        // Time-ordered ids: the rows of executions running together sit side by side in the store's keyed tables,
        // so one group commit writes a few shared pages rather than a few pages per execution.
        DateTimeOffset now = Now;
        string executionId = Guid.CreateVersion7(now).ToString();
        var spec = new NewExecution(executionId, executionName ?? executionId, function.Name, function.Version,
            NewExecutions.FunctionArn(options, function), inputPayload, NewExecutions.Seconds(function.ExecutionTimeout), function.RetentionPeriodInDays);
        ExecutionWorkspace creation = ExecutionTransitions.CreateWorkspace(spec, now, invokeNow: true);
        InvocationClaim? claim = invocations.TryClaimDueInvocation(creation);
        CreateExecutionResult created = await commits.CreateAsync(creation.ToChange(), now, cache: claim is not null, cancellationToken).ConfigureAwait(false);
        ExecutionRecord execution = created.Execution;
        if (!created.Created)
        {
            // "Same input" is byte-identical input; anything else is a name collision (rows 4 and 6).
            if (!string.Equals(execution.InputPayload, inputPayload, StringComparison.Ordinal))
            {
                throw new DurableExecutionAlreadyStartedException(
                    $"Execution '{execution.ExecutionName}' of function '{execution.FunctionName}' already exists ({execution.Status.ToString().ToUpperInvariant()}) with a different input.");
            }

            return new StartExecutionResult(execution.DurableExecutionArn, AlreadyExisted: true);
        }

        logger.ExecutionStarted(execution.DurableExecutionArn);
        if (claim is not null)
        {
            invocations.RunClaimed(execution, claim);
        }

        wake();
        return new StartExecutionResult(execution.DurableExecutionArn, AlreadyExisted: false);
    }

    public async Task<DateTimeOffset> StopExecutionAsync(string durableExecutionArn, ErrorObject? error, CancellationToken cancellationToken)
    {
        EngineLimits.CheckError("The stop error", error);
        string executionId = ExecutionCommitter.RequireExecutionId(durableExecutionArn);
        DateTimeOffset stopped = default;
        await commits.MutateAsync(executionId, [], workspace =>
        {
            commits.ThrowIfExpired(workspace.Execution);
            stopped = ExecutionTransitions.Stop(workspace, error, Now);
        }, cancellationToken).ConfigureAwait(false);
        return stopped;
    }

    public Task SendCallbackSuccessAsync(string callbackId, string? result, CancellationToken cancellationToken) =>
        MutateCallbackAsync(callbackId, (workspace, operationId) => OperationEventTransitions.SucceedCallback(workspace, operationId, result, options.MaxBytesWrittenPerExecution, Now), cancellationToken);

    public Task SendCallbackFailureAsync(string callbackId, ErrorObject? error, CancellationToken cancellationToken) =>
        MutateCallbackAsync(callbackId, (workspace, operationId) => OperationEventTransitions.FailCallback(workspace, operationId, error, options.MaxBytesWrittenPerExecution, Now), cancellationToken);

    public Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken) =>
        MutateCallbackAsync(callbackId, (workspace, operationId) => OperationEventTransitions.HeartbeatCallback(workspace, operationId, Now), cancellationToken);

    private async Task MutateCallbackAsync(string callbackId, Action<ExecutionWorkspace, string> transition, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(callbackId) || callbackId.Length > 1024)
        {
            throw ServiceErrorCodes.InvalidParameter("CallbackId must be 1-1024 characters.");
        }

        CallbackLocation location = await commits.Store.FindCallbackAsync(callbackId, cancellationToken).ConfigureAwait(false)
            ?? throw ServiceErrorCodes.NotFound("The callback does not exist.");
        await commits.MutateAsync(location.ExecutionId, [location.OperationId], workspace =>
        {
            // The callbacks of an execution past its retention are gone with it, purged or not yet.
            if (workspace.Execution.IsExpiredAt(Now))
            {
                throw ServiceErrorCodes.NotFound("The callback does not exist.");
            }

            transition(workspace, location.OperationId);
        }, cancellationToken).ConfigureAwait(false);
    }
}
