using System.Text.Json;
using Durably.Protocol;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routing;

/// <summary>Successful JSON answers, in the REST encoding (epoch-seconds timestamps, absent fields omitted).</summary>
internal static class ApiResponses
{
    /// <summary>
    /// Serializes <paramref name="value"/> straight into the response body, a buffer at a time: a page of history or
    /// state (up to about 1 MiB of payloads) is never held a second time as one string or byte array.
    /// </summary>
    public static async Task WriteJsonAsync<T>(HttpContext context, T value, int statusCode = StatusCodes.Status200OK)
    {
        HttpResponse response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, value, DurablyJson.Api, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The empty answer of the callback APIs: <c>{}</c>.</summary>
    public static Task WriteEmptyObjectAsync(HttpContext context) => WriteBytesAsync(context, "{}"u8.ToArray(), StatusCodes.Status200OK);

    public static async Task WriteBytesAsync(HttpContext context, byte[] body, int statusCode)
    {
        HttpResponse response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
