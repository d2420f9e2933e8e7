using System.Net;
using System.Text.Json;

namespace Durably.Server.Tests.Infrastructure;

/// <summary>Assertions on Lambda-shaped answers.</summary>
public static class ApiAssert
{
    /// <summary>
    /// The error answer of WIRE-DETAILS.md §D.0: status, X-Amzn-ErrorType, a JSON body with Type and the
    /// message under the exception's own casing (and not the other). Returns the message.
    /// </summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorType, string messageField = "message")
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(errorType, Assert.Single(response.Headers.GetValues("X-Amzn-ErrorType")));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        Assert.Equal((int)status >= 500 ? "Service" : "User", root.GetProperty("Type").GetString());
        string otherField = messageField == "message" ? "Message" : "message";
        Assert.False(root.TryGetProperty(otherField, out _), $"Body must not carry {otherField}: {body}");
        string message = root.GetProperty(messageField).GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(":null", body.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public static string Header(HttpResponseMessage response, string name) => Assert.Single(response.Headers.GetValues(name));
}
