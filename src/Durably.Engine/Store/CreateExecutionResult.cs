namespace Durably.Engine.Storage;

/// <summary>The outcome of <see cref="IExecutionStore.CreateExecutionAsync"/>.</summary>
/// <param name="Execution">The created or the existing execution.</param>
/// <param name="Created">False when an execution of that name already existed.</param>
public sealed record CreateExecutionResult(ExecutionRecord Execution, bool Created);
