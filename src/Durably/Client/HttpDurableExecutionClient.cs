using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Durably.Protocol;

namespace Durably;

/// <summary><see cref="IDurableExecutionClient"/> against a Durably (or Lambda-compatible) server's REST API.</summary>
public sealed class HttpDurableExecutionClient : IDurableExecutionClient
{
    private readonly HttpClient _httpClient;
    private readonly AuthenticationHeaderValue? _authorization;

    /// <summary>Creates the client; <see cref="HttpClient.BaseAddress"/> is the server URL.</summary>
    public HttpDurableExecutionClient(HttpClient httpClient)
        : this(httpClient, apiKey: null)
    {
    }

    /// <summary>
    /// Creates the client for a server that requires an API key: every request carries
    /// <c>Authorization: Bearer &lt;apiKey&gt;</c> (null or empty: no header).
    /// </summary>
    public HttpDurableExecutionClient(HttpClient httpClient, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _httpClient = httpClient;
        _authorization = string.IsNullOrEmpty(apiKey) ? null : new AuthenticationHeaderValue("Bearer", apiKey);
    }

    /// <inheritdoc />
    public async Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string path = $"2025-12-01/durable-executions/{Uri.EscapeDataString(request.DurableExecutionArn)}/checkpoint";
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(request, options: DurablyJson.Api) };
        using HttpResponseMessage response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<CheckpointDurableExecutionResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string path = $"2025-12-01/durable-executions/{Uri.EscapeDataString(request.DurableExecutionArn)}/state"
            + $"?CheckpointToken={Uri.EscapeDataString(request.CheckpointToken)}"
            + (request.Marker is null ? "" : $"&Marker={Uri.EscapeDataString(request.Marker)}")
            + (request.MaxItems is null ? "" : $"&MaxItems={request.MaxItems}");
        using var message = new HttpRequestMessage(HttpMethod.Get, path);
        using HttpResponseMessage response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<GetDurableExecutionStateResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        message.Headers.Authorization = _authorization;
        return _httpClient.SendAsync(message, cancellationToken);
    }

    internal static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw DurableServiceException.FromHttpResponse(response, body);
        }

        return JsonSerializer.Deserialize<T>(body, DurablyJson.Api)
            ?? throw new DurableServiceException(ServiceErrorCodes.Service, 500, $"The server answered an empty {typeof(T).Name}.");
    }
}
