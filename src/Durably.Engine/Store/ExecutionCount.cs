using Durably.Protocol;

namespace Durably.Engine.Storage;

/// <summary>How many executions of one function version have one status (<see cref="IExecutionStore.CountExecutionsAsync"/>).</summary>
/// <param name="FunctionVersion">The pinned version.</param>
/// <param name="Status">The status.</param>
/// <param name="Count">How many, at least 1.</param>
public sealed record ExecutionCount(string FunctionVersion, ExecutionStatus Status, long Count);
