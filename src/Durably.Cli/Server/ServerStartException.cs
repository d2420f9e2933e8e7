namespace Durably.Cli.Server;

/// <summary><c>durably server</c> could not start for a reason outside the command line (its database, its port); exit code 1.</summary>
internal sealed class ServerStartException(string message, Exception innerException) : Exception(message, innerException);
