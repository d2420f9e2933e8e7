using Durably.Protocol;

namespace Durably.Engine;

/// <summary>Runs one invocation of a function: the envelope in, the output back (PROTOCOL.md §2.10).</summary>
/// <param name="input">The invocation envelope.</param>
/// <param name="client">Where the function checkpoints: the engine itself for in-process functions.</param>
/// <param name="cancellationToken">Cancelled when the engine stops.</param>
public delegate Task<DurableExecutionInvocationOutput> InvocationHandler(
    DurableExecutionInvocationInput input, IDurableExecutionClient client, CancellationToken cancellationToken);
