namespace Durably.Cli.Output;

/// <summary>ANSI colours, or none when the stream is redirected or <c>NO_COLOR</c> is set.</summary>
/// <param name="Enabled">Whether to emit escape codes.</param>
internal sealed record Style(bool Enabled)
{
    /// <summary>Bold (table headers, labels).</summary>
    public string Bold(string text) => Paint("1", text);

    /// <summary>Dim (notes).</summary>
    public string Dim(string text) => Paint("2", text);

    /// <summary>Red (failures).</summary>
    public string Red(string text) => Paint("31", text);

    /// <summary>Green (successes).</summary>
    public string Green(string text) => Paint("32", text);

    /// <summary>Yellow (timeouts, stops).</summary>
    public string Yellow(string text) => Paint("33", text);

    /// <summary>Cyan (running, started).</summary>
    public string Cyan(string text) => Paint("36", text);

    /// <summary>An execution status in its colour.</summary>
    public string Status(string status) => status switch
    {
        "SUCCEEDED" => Green(status),
        "FAILED" => Red(status),
        "TIMED_OUT" or "STOPPED" => Yellow(status),
        "RUNNING" => Cyan(status),
        _ => status,
    };

    /// <summary>A history event type in its colour: failures red, successes green, timeouts and stops yellow.</summary>
    public string EventType(string eventType) => eventType switch
    {
        _ when eventType.EndsWith("Failed", StringComparison.Ordinal) => Red(eventType),
        _ when eventType.EndsWith("Succeeded", StringComparison.Ordinal) => Green(eventType),
        _ when eventType.EndsWith("TimedOut", StringComparison.Ordinal)
            || eventType.EndsWith("Stopped", StringComparison.Ordinal)
            || eventType.EndsWith("Cancelled", StringComparison.Ordinal) => Yellow(eventType),
        _ when eventType.EndsWith("Started", StringComparison.Ordinal) => Cyan(eventType),
        _ => eventType,
    };

    private string Paint(string code, string text) => Enabled && text.Length > 0 ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
