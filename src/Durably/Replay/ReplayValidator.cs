using Durably.Protocol;

namespace Durably.Replay;

/// <summary>The one place that checks a recorded operation against what the code asks for now.</summary>
internal static class ReplayValidator
{
    public static void Validate(Operation recorded, OperationType type, string? name, string? subType)
    {
        if (recorded.Type != type)
        {
            throw Mismatch(recorded, "type", recorded.Type.ToString(), type.ToString());
        }

        if (!string.Equals(recorded.Name, name, StringComparison.Ordinal))
        {
            throw Mismatch(recorded, "name", Describe(recorded.Name), Describe(name));
        }

        if (!string.Equals(recorded.SubType, subType, StringComparison.Ordinal))
        {
            throw Mismatch(recorded, "sub-type", Describe(recorded.SubType), Describe(subType));
        }
    }

    private static string Describe(string? value) => value is null ? "(none)" : $"\"{value}\"";

    private static NonDeterministicExecutionException Mismatch(Operation recorded, string what, string logged, string code) =>
        new($"Non-deterministic execution detected: operation {recorded.Id} has {what} {logged} in the log " +
            $"but the code now asks for {code} (log: {recorded.Type} {Describe(recorded.Name)} {Describe(recorded.SubType)}). " +
            "The code changed under a running execution.");
}
