namespace Durably.Cli;

/// <summary>
/// What the tool reads and writes: its streams, environment and clock. <see cref="FromProcess"/> is the real
/// console; tests pass their own writers to run the tool in process.
/// </summary>
internal sealed record CliConsole
{
    /// <summary>Standard output: results, tables, JSON.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: errors and notes for people.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Standard input, read for a payload given as <c>-</c>.</summary>
    public required TextReader In { get; init; }

    /// <summary>Reads an environment variable (<c>DURABLY_SERVER</c>, <c>DURABLY_API_KEY</c>, <c>NO_COLOR</c>).</summary>
    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    /// <summary>True when standard output is a terminal (colours allowed).</summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>True when standard error is a terminal (colours allowed).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>True to cancel the running command on Ctrl+C (the real process only).</summary>
    public bool HandlesCtrlC { get; init; }

    /// <summary>The clock behind the <c>history --follow</c> poll interval.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The process's console.</summary>
    public static CliConsole FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        OutIsTerminal = !Console.IsOutputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        HandlesCtrlC = true,
    };

    /// <summary>Whether to colour standard output: a terminal, and <c>NO_COLOR</c> unset.</summary>
    public bool ColorOut => OutIsTerminal && !NoColor;

    /// <summary>Whether to colour standard error: a terminal, and <c>NO_COLOR</c> unset.</summary>
    public bool ColorError => ErrorIsTerminal && !NoColor;

    private bool NoColor => !string.IsNullOrEmpty(GetEnvironmentVariable("NO_COLOR"));
}
