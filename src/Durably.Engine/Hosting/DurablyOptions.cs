namespace Durably;

/// <summary>Engine settings (bound through <c>AddDurably(options => …)</c>).</summary>
public sealed class DurablyOptions
{
    /// <summary>The region segment of ARNs.</summary>
    /// <value>Default <c>local</c>.</value>
    public string Region { get; set; } = "local";

    /// <summary>The account segment of ARNs.</summary>
    /// <value>Default <c>000000000000</c>.</value>
    public string Account { get; set; } = "000000000000";

    /// <summary>Fails an execution that needs more invocations than this (a runaway guard); null means no limit.</summary>
    public int? MaxInvocationsPerExecution { get; set; }

    /// <summary>
    /// On start, expire every invocation lease at once (PROTOCOL.md §0 "Lost invocations"): the invocations a
    /// previous process left in flight are recorded as failed with <c>Runtime.ExitError</c> and retried without
    /// waiting for their invocation timeout. Right when one engine owns the store (SQLite, which turns it on);
    /// wrong when several nodes share it, where it would abandon the other nodes' running invocations.
    /// </summary>
    /// <value>Default false.</value>
    public bool ReclaimLeasesOnStart { get; set; }
}
