using System.Text;

namespace Durably.Server.Tests.Infrastructure;

/// <summary>One server-sent event as a client reads it.</summary>
public sealed record ServerSentEvent(string? Id, string Event, string Data);

/// <summary>Reads the events of a <c>text/event-stream</c> response, comments skipped, each read bounded in time.</summary>
public sealed class ServerSentEvents : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private ServerSentEvents(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens <paramref name="path"/> and returns once the response headers arrived.</summary>
    public static async Task<ServerSentEvents> OpenAsync(HttpClient client, string path, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(10));
        return new ServerSentEvents(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event; fails naming <paramref name="waitingFor"/> when none comes within 10 s.</summary>
    public async Task<ServerSentEvent> NextAsync(string waitingFor)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string? id = null;
        string type = "message";
        var data = new StringBuilder();
        try
        {
            while (true)
            {
                string? line = await _reader.ReadLineAsync(timeout.Token)
                    ?? throw new Xunit.Sdk.XunitException($"The stream ended while waiting for {waitingFor}.");
                if (line.Length == 0)
                {
                    if (data.Length > 0 || id is not null)
                    {
                        return new ServerSentEvent(id, type, data.ToString());
                    }

                    continue;
                }

                if (line.StartsWith(':'))
                {
                    continue;
                }

                int colon = line.IndexOf(':', StringComparison.Ordinal);
                string field = colon < 0 ? line : line[..colon];
                string value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
                switch (field)
                {
                    case "id": id = value; break;
                    case "event": type = value; break;
                    case "data": data.Append(value); break;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"No event within 10 s while waiting for {waitingFor}.");
        }
    }

    /// <summary>True when the stream ends (the server closed it) within 10 s.</summary>
    public async Task<bool> EndsAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await _reader.ReadLineAsync(timeout.Token) is not null)
            {
            }

            return true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
