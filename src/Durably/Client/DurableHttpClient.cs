using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Durably.Protocol;

namespace Durably;

/// <summary>
/// <see cref="IDurableClient"/> against a Durably server's REST API (PROTOCOL.md §2): starts are asynchronous
/// invokes, results are awaited by polling GetDurableExecution with backoff.
/// </summary>
public sealed class DurableHttpClient : IDurableClient
{
    private const string AlreadyExistedHeader = "X-Durably-Already-Existed";
    private const string ExecutionArnHeader = "X-Amz-Durable-Execution-Arn";
    private const int HistoryPageSize = 1000;
    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromSeconds(1);

    private readonly HttpClient _httpClient;
    private readonly IDurableSerializer _serializer;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the client; <see cref="HttpClient.BaseAddress"/> is the server URL.</summary>
    /// <param name="httpClient">Its base address is the server; add the API key header to its default headers when the server requires one.</param>
    /// <param name="serializer">Serializes inputs, callback results and outputs; default JSON.</param>
    /// <param name="timeProvider">Times the polling of <see cref="WaitForResultAsync{TOutput}"/>; default the system clock.</param>
    public DurableHttpClient(HttpClient httpClient, IDurableSerializer? serializer = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _httpClient = httpClient;
        _serializer = serializer ?? JsonDurableSerializer.Default;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<StartExecutionResult> StartAsync<TInput>(string functionName, TInput input, string? executionName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"2015-03-31/functions/{Uri.EscapeDataString(functionName)}/invocations")
        {
            Content = RawContent(_serializer.Serialize(input), "application/json"),
        };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        if (executionName is not null)
        {
            request.Headers.Add("X-Amz-Durable-Execution-Name", executionName);
        }

        using HttpResponseMessage response = await _httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        string arn = response.Headers.TryGetValues(ExecutionArnHeader, out IEnumerable<string>? arns)
            ? arns.First()
            : throw new DurableServiceException(ServiceErrorCodes.Service, (int)response.StatusCode, $"The server's invoke answer has no {ExecutionArnHeader} header.");
        bool alreadyExisted = response.Headers.TryGetValues(AlreadyExistedHeader, out IEnumerable<string>? flags)
            && string.Equals(flags.First(), "true", StringComparison.OrdinalIgnoreCase);
        return new StartExecutionResult(arn, alreadyExisted);
    }

    /// <inheritdoc />
    public async Task<DurableExecutionDescription> GetExecutionAsync(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await _httpClient.GetAsync(ExecutionPath(durableExecutionArn, ""), cancellationToken).ConfigureAwait(false);
        return await HttpDurableExecutionClient.ReadAsync<DurableExecutionDescription>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<TOutput?> WaitForResultAsync<TOutput>(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        TimeSpan delay = FirstPollDelay;
        while (true)
        {
            DurableExecutionDescription execution = await GetExecutionAsync(durableExecutionArn, cancellationToken).ConfigureAwait(false);
            switch (execution.Status)
            {
                case ExecutionStatus.Running:
                    await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollDelay.Ticks));
                    break;
                case ExecutionStatus.Succeeded:
                    return _serializer.Deserialize<TOutput>(execution.Result);
                default:
                    throw new DurableExecutionFailedException(durableExecutionArn, execution.Status, execution.Error);
            }
        }
    }

    /// <inheritdoc />
    public Task SendCallbackSuccessAsync<T>(string callbackId, T result, CancellationToken cancellationToken = default) =>
        PostAsync(CallbackPath(callbackId, "succeed"), RawContent(_serializer.Serialize(result), "application/octet-stream"), cancellationToken);

    /// <inheritdoc />
    public Task SendCallbackFailureAsync(string callbackId, ErrorObject? error = null, CancellationToken cancellationToken = default) =>
        PostAsync(CallbackPath(callbackId, "fail"), JsonContent.Create(error ?? new ErrorObject(), options: DurablyJson.Api), cancellationToken);

    /// <inheritdoc />
    public Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken = default) =>
        PostAsync(CallbackPath(callbackId, "heartbeat"), null, cancellationToken);

    /// <inheritdoc />
    public Task StopExecutionAsync(string durableExecutionArn, ErrorObject? error = null, CancellationToken cancellationToken = default) =>
        PostAsync(ExecutionPath(durableExecutionArn, "/stop"), error is null ? null : JsonContent.Create(error, options: DurablyJson.Api), cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string durableExecutionArn, CancellationToken cancellationToken = default)
    {
        var events = new List<HistoryEvent>();
        string? marker = null;
        do
        {
            string path = ExecutionPath(durableExecutionArn, "/history") + $"?MaxItems={HistoryPageSize.ToString(CultureInfo.InvariantCulture)}"
                + (marker is null ? "" : $"&Marker={Uri.EscapeDataString(marker)}");
            using HttpResponseMessage response = await _httpClient.GetAsync(path, cancellationToken).ConfigureAwait(false);
            HistoryPageResponse page = await HttpDurableExecutionClient.ReadAsync<HistoryPageResponse>(response, cancellationToken).ConfigureAwait(false);
            events.AddRange(page.Events);
            marker = page.NextMarker;
        }
        while (!string.IsNullOrEmpty(marker));
        return events;
    }

    private async Task PostAsync(string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using (content)
        {
            using HttpResponseMessage response = await _httpClient.PostAsync(path, content, cancellationToken).ConfigureAwait(false);
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw DurableServiceException.FromHttpResponse(response, body);
        }
    }

    /// <summary>A body of exactly these UTF-8 bytes; null text sends an empty body.</summary>
    private static ByteArrayContent RawContent(string? text, string mediaType)
    {
        var content = new ByteArrayContent(text is null ? [] : Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    // WARNING: wire compatibility. ARNs and callback ids are sent fully percent-encoded, as AWS's clients do.
    private static string ExecutionPath(string durableExecutionArn, string suffix)
    {
        ArgumentException.ThrowIfNullOrEmpty(durableExecutionArn);
        return $"2025-12-01/durable-executions/{Uri.EscapeDataString(durableExecutionArn)}{suffix}";
    }

    private static string CallbackPath(string callbackId, string action)
    {
        ArgumentException.ThrowIfNullOrEmpty(callbackId);
        return $"2025-12-01/durable-execution-callbacks/{Uri.EscapeDataString(callbackId)}/{action}";
    }

    /// <summary>GetDurableExecutionHistory's answer.</summary>
    private sealed record HistoryPageResponse
    {
        public IReadOnlyList<HistoryEvent> Events { get; init; } = [];

        public string? NextMarker { get; init; }
    }
}
