namespace Durably.Cli;

/// <summary>A command line that parsed but cannot be carried out (exit code 2), naming the bad argument.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
