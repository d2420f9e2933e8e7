namespace Durably.Engine;

/// <summary>An open operation a running execution waits on (the console's "waiting on" column).</summary>
/// <param name="Type"><c>WAIT</c>, <c>CALLBACK</c>, <c>RETRY</c> (a step waiting for its next attempt) or <c>CHAINED_INVOKE</c>.</param>
/// <param name="OperationId">The operation id.</param>
/// <param name="Name">The operation name, when it has one.</param>
/// <param name="Until">A wait's scheduled end, or a retry's next attempt time.</param>
/// <param name="CallbackId">A callback's id.</param>
/// <param name="Attempt">A retry: the number of the attempt it waits to run (the first retry is attempt 2).</param>
public sealed record WaitingOn(string Type, string OperationId, string? Name = null, DateTimeOffset? Until = null, string? CallbackId = null, int? Attempt = null);
