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
}
