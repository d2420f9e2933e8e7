using System.Net.Http.Headers;
using System.Text.Json;

namespace Durably.Cli.Api;

/// <summary>Turns an error response into a <see cref="DurableServiceException"/> named as Lambda names it.</summary>
internal static class ApiErrors
{
    /// <summary>
    /// The name comes from <c>X-Amzn-ErrorType</c> (anything after <c>:</c> ignored), else the body's
    /// <c>__type</c>, else the HTTP status; the message from the body's <c>message</c> or <c>Message</c>.
    /// </summary>
    public static DurableServiceException FromResponse(int statusCode, HttpResponseHeaders headers, string body)
    {
        string? name = headers.TryGetValues("X-Amzn-ErrorType", out IEnumerable<string>? values) ? values.First() : null;
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

        name = name?.Split(':')[0].Split('#')[^1];
        return new DurableServiceException(string.IsNullOrEmpty(name) ? $"HTTP {statusCode}" : name, statusCode, message.Trim());
    }

    private static string? StringField(JsonElement root, string field)
        => root.TryGetProperty(field, out JsonElement element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
}
