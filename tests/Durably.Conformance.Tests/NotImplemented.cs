namespace Durably.Conformance;

/// <summary>
/// Requirements we deliberately do not meet, each with its reason. docs/conformance.md mirrors this
/// list; the test of such a requirement is reported as skipped with the reason, never silently.
/// </summary>
public static class NotImplemented
{
    public static IReadOnlyDictionary<string, string> Reasons { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
