using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>
/// Functions that live behind an HTTP endpoint (docs/http-functions.md): each invocation POSTs the envelope
/// (PROTOCOL.md §2.10, <see cref="DurablyJson.Envelope"/>: epoch-millisecond timestamps) and reads the
/// <see cref="DurableExecutionInvocationOutput"/> from the answer; the function checkpoints through the REST API.
/// A timeout, a connection error, a non-2xx answer or a body that is not an output throws
/// <see cref="HttpFunctionException"/>: an invocation failure, recorded and retried with backoff.
/// </summary>
public static class HttpFunction
{
    /// <summary>The largest output read: Lambda's 6 MiB response limit.</summary>
    public const int MaxOutputBytes = 6 * 1024 * 1024;

    /// <summary>Request header: the invocation's deadline in epoch milliseconds (as Lambda's runtime API sends it).</summary>
    public const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";

    /// <summary>Request header: the qualified ARN of the invoked function version.</summary>
    public const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";

    /// <summary>
    /// The name of the <see cref="IHttpClientFactory"/> client the engine POSTs with when it is built by DI
    /// (<c>AddDurably</c> registers it): <c>services.AddHttpClient(HttpFunction.HttpClientName)</c> adds handlers or a timeout.
    /// </summary>
    public const string HttpClientName = "Durably.HttpFunctions";

    private const int MaxQuotedBodyChars = 256;

    // The client without DI: one for every HTTP function, on the same handler the named client gets.
    private static readonly HttpClient DefaultClient = new(CreatePrimaryHandler()) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    /// <summary>
    /// The invocation handler of the function at <paramref name="endpoint"/>; an invocation that gets no answer
    /// within <paramref name="invocationTimeout"/> (measured on <paramref name="timeProvider"/>) fails. Each invocation
    /// POSTs with <paramref name="httpClientFactory"/>'s <see cref="HttpClientName"/> client, or without one with a shared client.
    /// </summary>
    public static InvocationHandler CreateHandler(Uri endpoint, TimeSpan invocationTimeout, TimeProvider? timeProvider = null, IHttpClientFactory? httpClientFactory = null)
    {
        CheckEndpoint(endpoint);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(invocationTimeout, TimeSpan.Zero);
        TimeProvider time = timeProvider ?? TimeProvider.System;
        return (input, _, cancellationToken) =>
            InvokeAsync(httpClientFactory?.CreateClient(HttpClientName) ?? DefaultClient, endpoint, invocationTimeout, time, input, cancellationToken);
    }

    /// <summary>
    /// The handler HTTP functions are called through: pooled connections, recycled so DNS changes are seen; no redirects
    /// (an endpoint must not send the envelope elsewhere); no cookies. The invocation timeout is applied per request.
    /// </summary>
    internal static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        AllowAutoRedirect = false,
        UseCookies = false,
    };

    /// <summary>Throws unless <paramref name="endpoint"/> is an absolute http:// or https:// URL without user info.</summary>
    public static void CheckEndpoint(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)
            || endpoint.UserInfo.Length > 0 || endpoint.Fragment.Length > 0)
        {
            throw new ArgumentException($"The function endpoint '{endpoint}' must be an absolute http:// or https:// URL without user info or fragment.", nameof(endpoint));
        }
    }

    private static async Task<DurableExecutionInvocationOutput> InvokeAsync(
        HttpClient client, Uri endpoint, TimeSpan invocationTimeout, TimeProvider time, DurableExecutionInvocationInput input, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(invocationTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = EnvelopeContent(input) };
        using Activity? span = Telemetry.EngineTelemetry.StartInvoke(input.DurableExecutionArn, input.TraceParent);
        InjectTraceContext(request);
        request.Headers.Add(DeadlineHeader, (time.GetUtcNow() + invocationTimeout).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        if (FunctionArnOf(input.DurableExecutionArn) is { } functionArn)
        {
            request.Headers.Add(FunctionArnHeader, functionArn);
        }

        try
        {
            using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            (byte[] body, bool tooLarge) = await ReadBoundedAsync(response.Content, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpFunctionException(HttpFunctionException.HttpError,
                    $"POST {endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}{Quote(body)}");
            }

            if (tooLarge)
            {
                throw new HttpFunctionException(HttpFunctionException.HttpError,
                    $"POST {endpoint} answered more than 6 MiB ({MaxOutputBytes} bytes, Lambda's response limit); the output was not read.");
            }

            return ParseOutput(endpoint, body);
        }
        catch (OperationCanceledException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpFunctionException(HttpFunctionException.Timeout,
                string.Create(CultureInfo.InvariantCulture, $"POST {endpoint} did not answer within the invocation timeout ({invocationTimeout.TotalSeconds:0.###} s)."),
                exception);
        }
        catch (IOException exception)
        {
            // The answer's body broke off while it was read.
            throw new HttpFunctionException(HttpFunctionException.HttpError, $"POST {endpoint} failed: {exception.Message}", exception);
        }
        catch (HttpRequestException exception)
        {
            throw exception.HttpRequestError switch
            {
                HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError =>
                    new HttpFunctionException(HttpFunctionException.Unreachable, $"POST {endpoint} failed: {exception.Message}", exception),
                _ => new HttpFunctionException(HttpFunctionException.HttpError, $"POST {endpoint} failed: {exception.Message}", exception),
            };
        }
    }

    /// <summary>
    /// Adds the W3C <c>traceparent</c> (and <c>tracestate</c>) of the current span, unless the HTTP client's own
    /// diagnostics will: the function's spans then continue the engine's trace.
    /// </summary>
    private static void InjectTraceContext(HttpRequestMessage request)
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C } current)
        {
            return;
        }

        request.Headers.TryAddWithoutValidation("traceparent", current.Id);
        if (!string.IsNullOrEmpty(current.TraceStateString))
        {
            request.Headers.TryAddWithoutValidation("tracestate", current.TraceStateString);
        }
    }

    /// <summary>
    /// Reads at most <see cref="MaxOutputBytes"/> of an answer (so a huge or endless one costs no more memory than
    /// that); <c>TooLarge</c> when there was more, or when its Content-Length says there would be.
    /// </summary>
    private static async Task<(byte[] Body, bool TooLarge)> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxOutputBytes)
        {
            return ([], true);
        }

        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var body = new MemoryStream();
            byte[] chunk = new byte[81_920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > MaxOutputBytes)
                {
                    return (body.ToArray(), true);
                }

                body.Write(chunk, 0, read);
            }

            return (body.ToArray(), false);
        }
    }

    private static ByteArrayContent EnvelopeContent(DurableExecutionInvocationInput input)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(input, DurablyJson.Envelope));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static DurableExecutionInvocationOutput ParseOutput(Uri endpoint, byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<DurableExecutionInvocationOutput>(body, DurablyJson.Envelope)
                ?? throw new JsonException("The body is null.");
        }
        catch (JsonException exception)
        {
            throw new HttpFunctionException(HttpFunctionException.InvalidOutput,
                $"POST {endpoint} answered a body that is not an invocation output {{\"Status\":\"SUCCEEDED|FAILED|PENDING\",…}}: {exception.Message}{Quote(body)}",
                exception);
        }
    }

    /// <summary>The function ARN of an execution ARN: everything before <c>/durable-execution/</c>.</summary>
    private static string? FunctionArnOf(string executionArn)
    {
        int marker = executionArn.IndexOf("/durable-execution/", StringComparison.Ordinal);
        return marker > 0 ? executionArn[..marker] : null;
    }

    private static string Quote(byte[] body)
    {
        if (body.Length == 0)
        {
            return " (empty body)";
        }

        string text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MaxQuotedBodyChars * 4));
        return text.Length > MaxQuotedBodyChars ? $": {text[..MaxQuotedBodyChars]}…" : $": {text}";
    }
}
