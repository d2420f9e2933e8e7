namespace Durably.CrashSafety.Tests;

/// <summary>The side-effect journal the crash-test workflow writes (<c>id|event|attempt</c> per line), read back.</summary>
internal sealed record SideEffect(int Line, string ExecutionKey, string What, int Attempt)
{
    public static IReadOnlyList<SideEffect> Read(string path)
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
            if (parts.Length >= 3)
            {
                effects.Add(new SideEffect(line++, parts[0], parts[1], int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return effects;
    }
}
