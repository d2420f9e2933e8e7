namespace Durably.Cli;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>The server answered an error, could not be reached, or the execution failed.</summary>
    public const int Failure = 1;

    /// <summary>A bad command line: unknown command or option, a missing or malformed argument.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
