namespace Durably.Engine.Storage;

/// <summary>The running invocation of an execution.</summary>
/// <param name="RequestId">The invocation's request id (history <c>RequestId</c>).</param>
/// <param name="TokenPrefix">Prefix shared by every token issued to this invocation.</param>
/// <param name="CurrentToken">The only token a checkpoint may consume.</param>
/// <param name="StartTimestamp">When the invocation started.</param>
public sealed record InvocationRecord(string RequestId, string TokenPrefix, string CurrentToken, DateTimeOffset StartTimestamp);
