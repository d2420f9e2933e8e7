using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routing;

/// <summary>
/// Lambda's error responses (WIRE-DETAILS.md §D.0): the status, <c>X-Amzn-ErrorType</c>, and a body
/// <c>{"Type": "User"|"Service", "message"|"Message": …}</c> whose message casing depends on the exception.
/// </summary>
internal static class ApiErrors
{
    public const string ErrorTypeHeader = "X-Amzn-ErrorType";

    /// <summary>Invoke payload that is not JSON (Lambda's name for it).</summary>
    public const string InvalidRequestContent = "InvalidRequestContentException";

    /// <summary>No Durably API at that path, or not with that method.</summary>
    public const string UnknownOperation = "UnknownOperationException";

    /// <summary>Missing or wrong API key.</summary>
    public const string UnrecognizedClient = "UnrecognizedClientException";

    /// <summary>A valid key without the route's scope, or a request a keyless server refuses (docs/security.md).</summary>
    public const string AccessDenied = "AccessDeniedException";

    /// <summary>A JSON body sent with another content type to a keyless server (Lambda's name for a non-JSON Invoke content type).</summary>
    public const string UnsupportedMediaType = "UnsupportedMediaTypeException";

    // WARNING: wire compatibility. These exceptions carry "Message"; every other one "message" (the service model's casing).
    private static readonly HashSet<string> CapitalizedMessage = new(StringComparer.Ordinal)
    {
        ServiceErrorCodes.CallbackTimeout,
        ServiceErrorCodes.ResourceNotFound,
        ServiceErrorCodes.DurableExecutionAlreadyStarted,
        ServiceErrorCodes.Service,
        "KMSAccessDeniedException",
        "KMSDisabledException",
        "KMSInvalidStateException",
        "KMSNotFoundException",
    };

    public static DurableServiceException InvalidParameter(string message) => ServiceErrorCodes.InvalidParameter(message);

    public static DurableServiceException InvalidContent(string message) => new(InvalidRequestContent, 400, message);

    public static DurableServiceException TooLarge(string message) => ServiceErrorCodes.TooLarge(message);

    public static DurableServiceException NoSuchRoute(string method, string path) =>
        new(UnknownOperation, 404, $"No Durably API at {method} {path}.");

    public static DurableServiceException Unauthenticated() =>
        new(UnrecognizedClient, 401, "The request carries no valid API key: send 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");

    public static DurableServiceException Forbidden(string message) => new(AccessDenied, 403, message);

    public static async Task WriteAsync(HttpContext context, DurableServiceException error)
    {
        HttpResponse response = context.Response;
        response.StatusCode = error.StatusCode;
        response.Headers[ErrorTypeHeader] = error.ErrorCode;
        if (error.ErrorCode == UnrecognizedClient)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("Type", error.StatusCode >= 500 ? "Service" : "User");
            writer.WriteString(CapitalizedMessage.Contains(error.ErrorCode) ? "Message" : "message", error.Message);
            writer.WriteEndObject();
        }

        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
