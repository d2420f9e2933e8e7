using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Durably.Cli.Output;
using Durably.Protocol;

namespace Durably.Cli.Api;

/// <summary>The Durably server's REST API (PROTOCOL.md §2, WIRE-DETAILS.md §D), as the tool uses it.</summary>
internal sealed partial class DurablyApiClient : IDisposable
{
    private const string Durable = "2025-12-01";
    private const string Lambda = "2015-03-31";

    private readonly HttpClient _http;

    /// <summary>Creates the client for <paramref name="server"/>; an API key is sent as <c>Authorization: Bearer</c>.</summary>
    public DurablyApiClient(Uri server, string? apiKey)
    {
        Server = server;
        _http = new HttpClient
        {
            // Relative paths keep a base path the server may be mounted under.
            BaseAddress = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/"),
            // A synchronous invoke may wait up to 15 minutes; Ctrl+C is the bound.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    /// <summary>The server's base URL.</summary>
    public Uri Server { get; }

    /// <summary>Invoke: starts (or re-attaches to) an execution; synchronous unless <paramref name="async"/>.</summary>
    public async Task<InvokeResult> InvokeAsync(string function, string? qualifier, byte[] payload, string? name, bool async, CancellationToken cancellationToken)
    {
        string path = $"{Lambda}/functions/{Escape(function)}/invocations" + Query(("Qualifier", qualifier));
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Raw(payload) };
        request.Headers.Add("X-Amz-Invocation-Type", async ? "Event" : "RequestResponse");
        if (name is not null)
        {
            request.Headers.Add("X-Amz-Durable-Execution-Name", name);
        }

        using HttpResponseMessage response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfError(response, body);
        return new InvokeResult(
            (int)response.StatusCode,
            Header(response, "X-Amz-Durable-Execution-Arn"),
            Header(response, "X-Amz-Executed-Version"),
            Header(response, "X-Amz-Function-Error"),
            body);
    }

    /// <summary>ListDurableExecutionsByFunction: one page.</summary>
    public Task<ApiResult<ExecutionsPage>> ListExecutionsAsync(string function, ExecutionFilter filter, string? marker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = new List<(string, string?)>();
        query.AddRange(filter.Statuses.Select(status => ("Statuses", (string?)status)));
        query.Add(("DurableExecutionName", filter.Name));
        query.Add(("StartedAfter", filter.StartedAfter is { } after ? IsoQuery(after) : null));
        query.Add(("StartedBefore", filter.StartedBefore is { } before ? IsoQuery(before) : null));
        query.Add(("ReverseOrder", filter.Reverse ? "true" : null));
        query.Add(("MaxItems", filter.MaxItems?.ToString(CultureInfo.InvariantCulture)));
        query.Add(("Marker", marker));
        return GetAsync<ExecutionsPage>($"{Durable}/functions/{Escape(function)}/durable-executions" + Query([.. query]), cancellationToken);
    }

    /// <summary>GetDurableExecution.</summary>
    public Task<ApiResult<DurableExecutionDescription>> GetExecutionAsync(string arn, bool includeData, CancellationToken cancellationToken)
        => GetAsync<DurableExecutionDescription>(
            $"{Durable}/durable-executions/{Escape(arn)}" + Query(("IncludeExecutionData", includeData ? null : "false")), cancellationToken);

    /// <summary>GetDurableExecutionHistory: one page from <paramref name="marker"/>.</summary>
    public Task<ApiResult<EventsPage>> GetHistoryAsync(string arn, string? marker, bool reverse, CancellationToken cancellationToken)
        => GetAsync<EventsPage>(
            $"{Durable}/durable-executions/{Escape(arn)}/history" + Query(("ReverseOrder", reverse ? "true" : null), ("Marker", marker)),
            cancellationToken);

    /// <summary>Durably's export: the execution, its operations and its history in one document.</summary>
    public Task<ApiResult<ExecutionExport>> ExportExecutionAsync(string arn, CancellationToken cancellationToken)
        => GetAsync<ExecutionExport>($"{Durable}/durable-executions/{Escape(arn)}/export", cancellationToken);

    /// <summary>StopDurableExecution.</summary>
    public Task<ApiResult<StopResult>> StopAsync(string arn, ErrorObject error, CancellationToken cancellationToken)
        => PostAsync<StopResult>($"{Durable}/durable-executions/{Escape(arn)}/stop", JsonBody(error), cancellationToken);

    /// <summary>SendDurableExecutionCallbackSuccess: the raw bytes are the result.</summary>
    public Task<ApiResult<JsonElement>> SucceedCallbackAsync(string callbackId, byte[] result, CancellationToken cancellationToken)
        => PostAsync<JsonElement>(CallbackPath(callbackId, "succeed"), Raw(result), cancellationToken);

    /// <summary>SendDurableExecutionCallbackFailure: the body is the error object.</summary>
    public Task<ApiResult<JsonElement>> FailCallbackAsync(string callbackId, ErrorObject error, CancellationToken cancellationToken)
        => PostAsync<JsonElement>(CallbackPath(callbackId, "fail"), JsonBody(error), cancellationToken);

    /// <summary>SendDurableExecutionCallbackHeartbeat.</summary>
    public Task<ApiResult<JsonElement>> HeartbeatCallbackAsync(string callbackId, CancellationToken cancellationToken)
        => PostAsync<JsonElement>(CallbackPath(callbackId, "heartbeat"), null, cancellationToken);

    /// <summary>Lambda ListFunctions (every version): one page.</summary>
    public Task<ApiResult<FunctionsPage>> ListFunctionsAsync(string? marker, CancellationToken cancellationToken)
        => GetAsync<FunctionsPage>($"{Lambda}/functions/" + Query(("FunctionVersion", "ALL"), ("Marker", marker)), cancellationToken);

    /// <summary>Registers an HTTP function on the running server (<c>POST /durably/functions</c>).</summary>
    public Task<ApiResult<HttpFunctionRegistration>> AddHttpFunctionAsync(HttpFunctionRegistration registration, CancellationToken cancellationToken)
        => PostAsync<HttpFunctionRegistration>(
            "durably/functions",
            new StringContent(JsonSerializer.Serialize(registration, DurablyJson.Api), Encoding.UTF8, "application/json"),
            cancellationToken);

    /// <summary>Removes a run-time registered HTTP function, one version or all (<c>DELETE /durably/functions/{name}</c>).</summary>
    public async Task RemoveHttpFunctionAsync(string name, string? version, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"durably/functions/{Escape(name)}" + Query(("Version", version)));
        using HttpResponseMessage response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        ThrowIfError(response, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>GET /health</c>: the server's health; a 503 (the store cannot be read) throws like an API error.</summary>
    public Task<ApiResult<JsonElement>> GetHealthAsync(CancellationToken cancellationToken)
        => GetAsync<JsonElement>("health", cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static string CallbackPath(string callbackId, string action)
        => $"{Durable}/durable-execution-callbacks/{Escape(callbackId)}/{action}";

    private async Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await ReadAsync<T>(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiResult<T>> PostAsync<T>(string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        return await ReadAsync<T>(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ApiResult<T>> ReadAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfError(response, body);
        if (string.IsNullOrWhiteSpace(body))
        {
            body = "{}";
        }

        try
        {
            T value = JsonSerializer.Deserialize<T>(body, DurablyJson.Api)
                ?? throw new JsonException("The body is null.");
            return new ApiResult<T>(value, body);
        }
        catch (JsonException exception)
        {
            throw new DurableServiceException(
                ServiceErrorCodes.Service, (int)response.StatusCode, $"the server's answer to {request.RequestUri} is not the expected JSON: {exception.Message}", exception);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new ServerUnreachableException(Server, exception);
        }
    }

    private static void ThrowIfError(HttpResponseMessage response, string body)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw DurableServiceException.FromHttpResponse(response, body);
        }
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault() : null;

    private static ByteArrayContent Raw(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    private static StringContent JsonBody(ErrorObject error)
        => new(JsonSerializer.Serialize(error, DurablyJson.Api), Encoding.UTF8, "application/json");

    /// <summary>Path labels are fully percent-encoded: an ARN's <c>:</c>, <c>/</c> and <c>$</c>, a callback id's <c>+</c>, <c>/</c>, <c>=</c>.</summary>
    private static string Escape(string label) => Uri.EscapeDataString(label);

    private static string IsoQuery(DateTimeOffset timestamp) => Formats.Timestamp(timestamp);

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        string[] pairs = [.. parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}")];
        return pairs.Length == 0 ? "" : "?" + string.Join('&', pairs);
    }
}
