namespace Durably.Cli.Api;

/// <summary>The server did not accept a connection.</summary>
internal sealed class ServerUnreachableException(Uri server, Exception innerException)
    : Exception($"cannot reach the Durably server at {server}; is it running?", innerException);
