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

    /// <summary>
    /// Fails an execution that needs more invocations than this, failed ones included (a runaway guard: a function
    /// that fails now and then, or polls without end, is not invoked forever). Must be at least 1; null means no limit.
    /// Ten failed invocations in a row fail an execution anyway (docs/engine.md, "Invocations").
    /// </summary>
    /// <value>Default 10,000: room for executions that legitimately wake often (waits, callbacks, step retries and
    /// waitForCondition polls each take an invocation), but finite.</value>
    public int? MaxInvocationsPerExecution { get; set; } = 10_000;

    /// <summary>
    /// The operations one execution may create (the EXECUTION operation excluded); a checkpoint that would create
    /// more is rejected with <c>InvalidParameterValueException</c>. Must be at least 1.
    /// </summary>
    /// <value>Default 3,000 (PROTOCOL.md §3.5).</value>
    public int MaxOperationsPerExecution { get; set; } = 3_000;

    /// <summary>
    /// The bytes one execution may write: the UTF-8 length of its input, of every operation payload and result,
    /// and of every error as stored JSON (see docs/engine.md, "Limits"). A checkpoint, callback or start that would
    /// write more is rejected with <c>InvalidParameterValueException</c>. Must be at least 1.
    /// </summary>
    /// <value>Default 100 MiB (104,857,600 bytes; PROTOCOL.md §3.5).</value>
    public long MaxBytesWrittenPerExecution { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// On start, expire every invocation lease at once (PROTOCOL.md §0 "Lost invocations"): the invocations a
    /// previous process left in flight are recorded as failed with <c>Runtime.ExitError</c> and retried without
    /// waiting for their invocation timeout. Right when one engine owns the store (SQLite, which turns it on);
    /// wrong when several nodes share it, where it would abandon the other nodes' running invocations.
    /// </summary>
    /// <value>Default false.</value>
    public bool ReclaimLeasesOnStart { get; set; }
}
