using Durably.Protocol;

namespace Durably.Engine;

/// <summary>How many executions of one version of a function have each status (<see cref="DurableEngine.CountExecutionsAsync"/>).</summary>
/// <param name="Version">The pinned version.</param>
/// <param name="Hosted">True when a handler for the version is registered: executions of a version that is not are stuck.</param>
/// <param name="Counts">A count for every status, zeros included.</param>
public sealed record VersionExecutionCounts(string Version, bool Hosted, IReadOnlyDictionary<ExecutionStatus, long> Counts);
