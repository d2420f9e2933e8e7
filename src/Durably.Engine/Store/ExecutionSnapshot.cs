namespace Durably.Engine.Storage;

/// <summary>An execution header with some of its operations.</summary>
/// <param name="Execution">The header.</param>
/// <param name="Operations">The requested operations that exist, by id.</param>
public sealed record ExecutionSnapshot(ExecutionRecord Execution, IReadOnlyDictionary<string, OperationRecord> Operations);
