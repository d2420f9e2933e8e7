namespace Durably.Conformance;

/// <summary>
/// Requirements we run but know we fail, each with its reason; optional or not, any other failing requirement
/// fails its test. docs/conformance.md ("Known failures") mirrors this list.
/// </summary>
public static class KnownFailures
{
    public static IReadOnlyDictionary<string, string> Reasons { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
    };
}
