using System.Net;
using System.Net.Sockets;

namespace Durably.TestSupport;

/// <summary>
/// A loopback port held bound but not listening for as long as this lives: connecting to it is refused at once,
/// and no other process can take the port meanwhile (unlike a port found free and released).
/// </summary>
public sealed class UnreachablePort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public UnreachablePort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:{Port}/</c>.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}/");

    public void Dispose() => _socket.Dispose();
}
