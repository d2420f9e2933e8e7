using System.Net.Http.Headers;
using System.Text;

namespace Durably.Server.Tests.Infrastructure;

/// <summary>Requests shaped as AWS's clients send them: path parameters fully percent-encoded.</summary>
public static class ApiRequests
{
    public static string Execution(string arn, string suffix = "") => $"2025-12-01/durable-executions/{Uri.EscapeDataString(arn)}{suffix}";

    public static string Callback(string callbackId, string action) => $"2025-12-01/durable-execution-callbacks/{Uri.EscapeDataString(callbackId)}/{action}";

    public static Task<HttpResponseMessage> InvokeAsync(
        this HttpClient client, string functionName, string? payload, string? invocationType = null, string? executionName = null, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"2015-03-31/functions/{Uri.EscapeDataString(functionName)}/invocations{query}")
        {
            Content = Raw(payload ?? ""),
        };
        if (invocationType is not null)
        {
            request.Headers.Add("X-Amz-Invocation-Type", invocationType);
        }

        if (executionName is not null)
        {
            request.Headers.Add("X-Amz-Durable-Execution-Name", executionName);
        }

        return client.SendAsync(request);
    }

    /// <summary>Starts an execution asynchronously and returns its ARN.</summary>
    public static async Task<string> StartAsync(this HttpClient client, string functionName, string payload, string? executionName = null)
    {
        using HttpResponseMessage response = await client.InvokeAsync(functionName, payload, "Event", executionName);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return ApiAssert.Header(response, "X-Amz-Durable-Execution-Arn");
    }

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string body) => client.PostAsync(path, Raw(body));

    public static ByteArrayContent Raw(string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
