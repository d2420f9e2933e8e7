using System.Text.Json;

namespace Durably.Worker.Tests.Infrastructure;

/// <summary>
/// Sits between an SDK's <see cref="HttpClient"/> and a real server: records every request it passes on and, when
/// <see cref="HoldFirstCheckpoint"/> is set, keeps the first checkpoint request until <see cref="Release"/>.
/// </summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _checkpoints;

    public bool HoldFirstCheckpoint { get; init; }

    public List<RecordedRequest> Requests { get; } = [];

    /// <summary>The checkpoint requests, in the order they were sent.</summary>
    public IReadOnlyList<RecordedRequest> Checkpoints
    {
        get
        {
            lock (Requests)
            {
                return [.. Requests.Where(request => request.Path.EndsWith("/checkpoint", StringComparison.Ordinal))];
            }
        }
    }

    public void Release() => _released.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!.AbsolutePath, request.RequestUri.Query, body);
        lock (Requests)
        {
            Requests.Add(recorded);
        }

        if (HoldFirstCheckpoint && recorded.Path.EndsWith("/checkpoint", StringComparison.Ordinal) && Interlocked.Increment(ref _checkpoints) == 1)
        {
            await _released.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>One request as it was sent.</summary>
internal sealed record RecordedRequest(HttpMethod Method, string Path, string Query, byte[] Body)
{
    /// <summary>The payload lengths of a checkpoint request's updates (0 for an update without one).</summary>
    public IReadOnlyList<int> UpdatePayloadLengths
    {
        get
        {
            using JsonDocument document = JsonDocument.Parse(Body);
            return [.. document.RootElement.GetProperty("Updates").EnumerateArray()
                .Select(update => update.TryGetProperty("Payload", out JsonElement payload) ? payload.GetString()!.Length : 0)];
        }
    }
}
