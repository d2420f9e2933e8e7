using System.Text.Json;

namespace Durably;

/// <summary>
/// An error answered by a Durably server or engine, named as Lambda names it
/// (e.g. <c>InvalidParameterValueException</c>, HTTP 400).
/// </summary>
public class DurableServiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DurableServiceException(string errorCode, int statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>The Lambda error name, e.g. <c>ResourceNotFoundException</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The prefix every SDK matches to treat a checkpoint error as invocation-retryable.</summary>
    public const string InvalidCheckpointTokenPrefix = "Invalid Checkpoint Token";

    /// <summary>True for a stale, consumed or unknown checkpoint token.</summary>
    public bool IsInvalidCheckpointToken =>
        ErrorCode == ServiceErrorCodes.InvalidParameterValue && Message.StartsWith(InvalidCheckpointTokenPrefix, StringComparison.Ordinal);

    /// <summary>True when retrying the invocation may succeed (token errors, throttling, server errors).</summary>
    public bool IsRetryable => IsInvalidCheckpointToken || StatusCode == 429 || StatusCode >= 500;

    /// <summary>
    /// Reads an error answer of a Durably (or Lambda) server: the name from <c>X-Amzn-ErrorType</c>
    /// (anything after <c>:</c> ignored), else the body's <c>__type</c>, else <c>HTTP &lt;status&gt;</c>;
    /// the message from the body's <c>message</c> or <c>Message</c>, else the body as it is.
    /// </summary>
    public static DurableServiceException FromHttpResponse(HttpResponseMessage response, string body)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(body);
        string? name = response.Headers.TryGetValues("X-Amzn-ErrorType", out IEnumerable<string>? values) ? values.First() : null;
        string message = body;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                name ??= StringField(root, "__type");
                message = StringField(root, "message") ?? StringField(root, "Message") ?? message;
            }
        }
        catch (JsonException)
        {
            // A non-JSON body (a proxy's error page, say) is reported as it is.
        }

        int status = (int)response.StatusCode;
        name = name?.Split(':')[0].Split('#')[^1];
        return name switch
        {
            ServiceErrorCodes.DurableExecutionAlreadyStarted => new DurableExecutionAlreadyStartedException(message.Trim()),
            null or "" => new DurableServiceException($"HTTP {status}", status, message.Trim()),
            _ => new DurableServiceException(name, status, message.Trim()),
        };
    }

    private static string? StringField(JsonElement root, string field) =>
        root.TryGetProperty(field, out JsonElement element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
}

/// <summary>A start named an execution that exists with another input (PROTOCOL.md §2.1 rows 4 and 6).</summary>
public sealed class DurableExecutionAlreadyStartedException : DurableServiceException
{
    /// <summary>Creates the exception.</summary>
    public DurableExecutionAlreadyStartedException(string message)
        : base(ServiceErrorCodes.DurableExecutionAlreadyStarted, 409, message) { }
}

/// <summary>Lambda's error names with their HTTP status codes (PROTOCOL.md §1).</summary>
public static class ServiceErrorCodes
{
    /// <summary>400.</summary>
    public const string InvalidParameterValue = "InvalidParameterValueException";
    /// <summary>400: the callback is already closed or timed out.</summary>
    public const string CallbackTimeout = "CallbackTimeoutException";
    /// <summary>404.</summary>
    public const string ResourceNotFound = "ResourceNotFoundException";
    /// <summary>409: name collision on start.</summary>
    public const string DurableExecutionAlreadyStarted = "DurableExecutionAlreadyStartedException";
    /// <summary>409.</summary>
    public const string ResourceConflict = "ResourceConflictException";
    /// <summary>413.</summary>
    public const string RequestTooLarge = "RequestTooLargeException";
    /// <summary>429.</summary>
    public const string TooManyRequests = "TooManyRequestsException";
    /// <summary>500.</summary>
    public const string Service = "ServiceException";

    /// <summary>Creates a 400 InvalidParameterValueException.</summary>
    public static DurableServiceException InvalidParameter(string message) => new(InvalidParameterValue, 400, message);

    /// <summary>Creates a 400 "Invalid Checkpoint Token" error.</summary>
    public static DurableServiceException InvalidToken(string detail) =>
        new(InvalidParameterValue, 400, $"{DurableServiceException.InvalidCheckpointTokenPrefix}: {detail}");

    /// <summary>Creates a 404 ResourceNotFoundException.</summary>
    public static DurableServiceException NotFound(string message) => new(ResourceNotFound, 404, message);

    /// <summary>Creates a 400 CallbackTimeoutException.</summary>
    public static DurableServiceException CallbackClosed(string message) => new(CallbackTimeout, 400, message);

    /// <summary>Creates a 413 RequestTooLargeException.</summary>
    public static DurableServiceException TooLarge(string message) => new(RequestTooLarge, 413, message);

    /// <summary>A caller's value as an error message quotes it: at most 100 characters, so a huge value never makes a huge error.</summary>
    public static string Shorten(string? value) => value is null || value.Length <= 100 ? value ?? "" : value[..100] + "…";
}
