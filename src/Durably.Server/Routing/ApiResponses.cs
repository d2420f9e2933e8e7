using System.Text.Json;
using Durably.Protocol;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routing;

/// <summary>Successful JSON answers, in the REST encoding (epoch-seconds timestamps, absent fields omitted).</summary>
internal static class ApiResponses
{
    public static Task WriteJsonAsync<T>(HttpContext context, T value, int statusCode = StatusCodes.Status200OK) =>
        WriteBytesAsync(context, JsonSerializer.SerializeToUtf8Bytes(value, DurablyJson.Api), statusCode);

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
