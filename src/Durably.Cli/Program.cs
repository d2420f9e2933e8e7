namespace Durably.Cli;

/// <summary>The <c>durably</c> executable.</summary>
internal static class Program
{
    /// <summary>Runs one command against the process's console and returns its exit code.</summary>
    public static Task<int> Main(string[] args) => DurablyCli.RunAsync(args, CliConsole.FromProcess());
}
