namespace Durably.Engine.Storage;

/// <summary>What a dispatcher asks of <see cref="IExecutionStore.ClaimDueTimersAsync"/>.</summary>
/// <param name="Now">Timers due at or before this instant.</param>
/// <param name="MaxItems">At most this many.</param>
/// <param name="HostedVersions">The function versions this node runs, as <see cref="Key"/> strings: invoke timers of others are left to the nodes that host them.</param>
public sealed record DueTimerClaim(DateTimeOffset Now, int MaxItems, IReadOnlyCollection<string> HostedVersions)
{
    /// <summary>How a hosted function version is written in <see cref="HostedVersions"/>: <c>name:version</c>.</summary>
    public static string Key(string functionName, string functionVersion) => functionName + ":" + functionVersion;
}
