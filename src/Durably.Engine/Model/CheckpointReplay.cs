using Durably.Protocol;

namespace Durably.Engine.Storage;

/// <summary>A checkpoint response kept for a retry of the same request (WIRE-DETAILS.md §B.8).</summary>
/// <param name="ClientToken">The request's client token.</param>
/// <param name="CheckpointToken">The token the request consumed.</param>
/// <param name="Response">The response that was returned.</param>
public sealed record CheckpointReplay(string ClientToken, string CheckpointToken, CheckpointDurableExecutionResponse Response);
