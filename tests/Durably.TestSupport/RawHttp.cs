using System.Net.Sockets;
using System.Text;

namespace Durably.TestSupport;

/// <summary>
/// Sends a request exactly as written (HttpClient would re-escape a malformed percent-encoding) over
/// one connection to 127.0.0.1, and reads the whole answer.
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int StatusCode, IReadOnlyDictionary<string, string> Headers, string Body);

    public static async Task<Answer> SendAsync(
        Uri server, string method, string target, byte[] body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port, cancellationToken);
        NetworkStream stream = tcp.GetStream();
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
        foreach ((string name, string value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), cancellationToken);
        // The server may answer (413, say) and close before reading a large body: write it alongside reading the answer.
        Task write = WriteIgnoringResetAsync(stream, body, cancellationToken);
        using var response = new MemoryStream();
        await stream.CopyToAsync(response, cancellationToken);
        await write;
        string text = Encoding.UTF8.GetString(response.ToArray());
        int headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string[] lines = text[..headerEnd].Split("\r\n");
        var answerHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            answerHeaders[line[..colon]] = line[(colon + 1)..].Trim();
        }

        return new Answer(int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), answerHeaders, text[(headerEnd + 4)..]);
    }

    private static async Task WriteIgnoringResetAsync(NetworkStream stream, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            await stream.WriteAsync(body, cancellationToken);
        }
        catch (IOException)
        {
            // The server closed the connection after answering; the answer is what counts.
        }
    }
}
