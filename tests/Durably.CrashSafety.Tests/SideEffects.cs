using System.Globalization;

namespace Durably.CrashSafety.Tests;

/// <summary>
/// The side-effect journal the crash-test workflow writes (<c>id|event|attempt|utc ticks</c> per line), read back.
/// <see cref="Source"/> is the journal a line came from when several are read together (<see cref="ReadMerged"/>).
/// </summary>
internal sealed record SideEffect(int Line, string ExecutionKey, string What, int Attempt, long Ticks = 0, int Source = 0)
{
    public static IReadOnlyList<SideEffect> Read(string path) => ReadFile(path, 0);

    /// <summary>The journals of several processes on one machine as one, in the order of their lines' times.</summary>
    public static IReadOnlyList<SideEffect> ReadMerged(IReadOnlyList<string> paths) =>
        [.. paths.SelectMany(ReadFile).OrderBy(effect => effect.Ticks).ThenBy(effect => effect.Source).ThenBy(effect => effect.Line)
            .Select((effect, line) => effect with { Line = line })];

    private static List<SideEffect> ReadFile(string path, int source)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var effects = new List<SideEffect>();
        int line = 0;
        while (reader.ReadLine() is { } text)
        {
            string[] parts = text.Split('|');
            if (parts.Length == 4)
            {
                effects.Add(new SideEffect(line++, parts[0], parts[1], int.Parse(parts[2], CultureInfo.InvariantCulture),
                    long.Parse(parts[3], CultureInfo.InvariantCulture), source));
            }
        }

        return effects;
    }
}
