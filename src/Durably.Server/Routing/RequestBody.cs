using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Durably.Protocol;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Routing;

/// <summary>Bounded reading of request bodies: an oversized body is a 413 before it is read whole.</summary>
internal static partial class RequestBody
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<byte[]> ReadBytesAsync(HttpContext context, int maxBytes, string what)
    {
        HttpRequest request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(what, request.ContentLength.Value, maxBytes);
        }

        var buffer = new ArrayBufferWriter<byte>(Math.Min(maxBytes, (int)(request.ContentLength ?? 4096)) + 1);
        while (true)
        {
            Memory<byte> chunk = buffer.GetMemory(8192);
            int read = await request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                throw TooLarge(what, buffer.WrittenCount, maxBytes);
            }
        }
    }

    /// <summary>The body as strict UTF-8 text; null when empty.</summary>
    public static async Task<string?> ReadTextAsync(HttpContext context, int maxBytes, string what)
    {
        byte[] bytes = await ReadBytesAsync(context, maxBytes, what).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw ApiErrors.InvalidParameter($"{what} is not valid UTF-8.");
        }
    }

    /// <summary>The body as a JSON object of <typeparamref name="T"/> (REST encoding); null when the body is empty.</summary>
    public static async Task<T?> ReadJsonAsync<T>(HttpContext context, int maxBytes, string what)
        where T : class
    {
        byte[] bytes = await ReadBytesAsync(context, maxBytes, what).ConfigureAwait(false);
        return bytes.Length == 0 ? null : ParseJson<T>(bytes, what);
    }

    public static T ParseJson<T>(byte[] bytes, string what)
    {
        // The serializer would let invalid UTF-8 inside a string through as U+FFFD; a body must be what it claims.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw ApiErrors.InvalidParameter($"{what} is not valid UTF-8.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(bytes, DurablyJson.Api)
                ?? throw ApiErrors.InvalidParameter($"{what} must be a JSON object, not null.");
        }
        catch (JsonException exception)
        {
            throw ApiErrors.InvalidParameter($"{what} is not valid: {Describe(exception)}");
        }
    }

    private static string Describe(JsonException exception)
    {
        // The serializer names CLR types ("could not be converted to System.Nullable`1[System.Int32]"); the path and position are what help a caller.
        string location = exception.Path is { Length: > 0 } path ? $" at {QueryParameters.Shorten(path)}" : "";
        string position = exception.BytePositionInLine is { } column ? $" (line {exception.LineNumber + 1}, byte {column})" : "";
        string reason = exception.Message.Split(" Path:", 2)[0];
        reason = reason.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal)
            ? "The JSON value has the wrong type or form for this field."
            : TypeMention().Replace(reason, "");
        return $"{reason}{location}{position}".Trim();
    }

    /// <summary>"for type 'Durably.Protocol.CheckpointDurableExecutionRequest' " in the serializer's missing-property message.</summary>
    [GeneratedRegex("for type '[^']*' ")]
    private static partial Regex TypeMention();

    private static DurableServiceException TooLarge(string what, long bytes, int maxBytes) =>
        ApiErrors.TooLarge($"{what} is {bytes} bytes or more; the limit is {maxBytes} bytes.");
}
