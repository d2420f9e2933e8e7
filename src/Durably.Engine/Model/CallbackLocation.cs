namespace Durably.Engine.Storage;

/// <summary>Where a callback id points.</summary>
/// <param name="CallbackId">The minted id.</param>
/// <param name="ExecutionId">The execution.</param>
/// <param name="OperationId">The CALLBACK operation.</param>
public sealed record CallbackLocation(string CallbackId, string ExecutionId, string OperationId);
