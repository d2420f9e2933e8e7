using System.Net;
using System.Text.Json;
using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Server.Tests;

public sealed class InvokeTests : IAsyncLifetime
{
    private DurablyTestServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Invoke_RequestResponse_Answers200WithTheResultAndTheDurableHeaders()
    {
        using HttpResponseMessage response = await Client.InvokeAsync("echo", "\"hello\"", executionName: "sync-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"HELLO\"", await response.Content.ReadAsStringAsync());
        Assert.StartsWith("arn:aws:lambda:local:000000000000:function:echo:1/durable-execution/sync-1/", ApiAssert.Header(response, "X-Amz-Durable-Execution-Arn"), StringComparison.Ordinal);
        Assert.Equal("1", ApiAssert.Header(response, "X-Amz-Executed-Version"));
        Assert.False(response.Headers.Contains("X-Amz-Function-Error"));
        Assert.False(response.Headers.Contains("X-Durably-Already-Existed"));
    }

    [Fact]
    public async Task Invoke_Event_Answers202WithTheArnAndAnEmptyBody()
    {
        using HttpResponseMessage response = await Client.InvokeAsync("echo", "\"later\"", "Event");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        string arn = ApiAssert.Header(response, "X-Amz-Durable-Execution-Arn");
        DurableExecutionDescription done = await _server.Engine.WaitForCompletionAsync(arn).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("\"LATER\"", done.Result);
    }

    [Fact]
    public async Task Invoke_SameNameSamePayload_ReattachesAndSaysItAlreadyExisted()
    {
        using HttpResponseMessage first = await Client.InvokeAsync("approval", "{\"a\":1}", "Event", "same-name");
        using HttpResponseMessage again = await Client.InvokeAsync("approval", "{\"a\":1}", "Event", "same-name");

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(ApiAssert.Header(first, "X-Amz-Durable-Execution-Arn"), ApiAssert.Header(again, "X-Amz-Durable-Execution-Arn"));
        Assert.Equal("true", ApiAssert.Header(again, "X-Durably-Already-Existed"));
        Assert.False(first.Headers.Contains("X-Durably-Already-Existed"));
    }

    [Fact]
    public async Task Invoke_SameNameOtherPayload_Is409DurableExecutionAlreadyStarted()
    {
        using HttpResponseMessage first = await Client.InvokeAsync("approval", "{\"a\":1}", "Event", "taken");
        using HttpResponseMessage clash = await Client.InvokeAsync("approval", "{\"a\":2}", "Event", "taken");

        string message = await ApiAssert.ErrorAsync(clash, HttpStatusCode.Conflict, "DurableExecutionAlreadyStartedException", "Message");
        Assert.Contains("taken", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ClosedExecutionSameNameSamePayload_ReturnsItsResultAgain()
    {
        using HttpResponseMessage first = await Client.InvokeAsync("echo", "\"x\"", executionName: "closed-once");
        using HttpResponseMessage again = await Client.InvokeAsync("echo", "\"x\"", executionName: "closed-once");

        Assert.Equal("\"X\"", await again.Content.ReadAsStringAsync());
        Assert.Equal("true", ApiAssert.Header(again, "X-Durably-Already-Existed"));
    }

    [Theory]
    [InlineData("versioned", "", "2", "\"v2:q\"")]
    [InlineData("versioned:1", "", "1", "\"v1:q\"")]
    [InlineData("versioned", "?Qualifier=1", "1", "\"v1:q\"")]
    [InlineData("versioned:$LATEST", "", "2", "\"v2:q\"")]
    [InlineData("arn:aws:lambda:local:000000000000:function:versioned:1", "", "1", "\"v1:q\"")]
    [InlineData("versioned:1", "?Qualifier=1", "1", "\"v1:q\"")]
    public async Task Invoke_QualifiedOrNot_PinsTheResolvedVersion(string functionName, string query, string version, string result)
    {
        using HttpResponseMessage response = await Client.InvokeAsync(functionName, "\"q\"", query: query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(version, ApiAssert.Header(response, "X-Amz-Executed-Version"));
        Assert.Contains($":function:versioned:{version}/durable-execution/", ApiAssert.Header(response, "X-Amz-Durable-Execution-Arn"), StringComparison.Ordinal);
        Assert.Equal(result, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_FailedExecution_AnswersLambdasUnhandledFunctionError()
    {
        using HttpResponseMessage response = await Client.InvokeAsync("fails", "\"x\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", ApiAssert.Header(response, "X-Amz-Function-Error"));
        JsonElement error = await ApiAssert.JsonAsync(response);
        Assert.Equal("InvalidOperationException", error.GetProperty("errorType").GetString());
        Assert.Equal("boom", error.GetProperty("errorMessage").GetString());
        Assert.NotNull(ApiAssert.Header(response, "X-Amz-Durable-Execution-Arn"));
    }

    [Fact]
    public async Task Invoke_DryRun_Answers204AndStartsNothing()
    {
        using HttpResponseMessage response = await Client.InvokeAsync("echo", "\"x\"", "DryRun", "dry");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1", ApiAssert.Header(response, "X-Amz-Executed-Version"));
        Assert.Empty((await _server.Engine.ListExecutionsAsync(new Engine.ListDurableExecutionsRequest { FunctionName = "echo", DurableExecutionName = "dry" })).DurableExecutions);
    }

    [Theory]
    [InlineData("nope", "", "ResourceNotFoundException", HttpStatusCode.NotFound)]
    [InlineData("echo:9", "", "ResourceNotFoundException", HttpStatusCode.NotFound)]
    [InlineData("echo", "?Qualifier=9", "ResourceNotFoundException", HttpStatusCode.NotFound)]
    [InlineData("bad name", "", "InvalidParameterValueException", HttpStatusCode.BadRequest)]
    [InlineData("echo:1", "?Qualifier=2", "InvalidParameterValueException", HttpStatusCode.BadRequest)]
    [InlineData("echo", "?Qualifier=a%3Ab", "InvalidParameterValueException", HttpStatusCode.BadRequest)]
    public async Task Invoke_BadOrUnknownFunction_IsTheDocumentedError(string functionName, string query, string errorType, HttpStatusCode status)
    {
        using HttpResponseMessage response = await Client.InvokeAsync(functionName, "\"x\"", "Event", query: query);

        await ApiAssert.ErrorAsync(response, status, errorType, status == HttpStatusCode.NotFound ? "Message" : "message");
    }

    [Theory]
    [InlineData("Async")]
    [InlineData("event")]
    [InlineData("")]
    public async Task Invoke_UnknownInvocationType_Is400(string invocationType)
    {
        using HttpResponseMessage response = await Client.InvokeAsync("echo", "\"x\"", invocationType);

        string message = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException");
        Assert.Contains("X-Amz-Invocation-Type", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a.b")]
    [InlineData("x123456789x123456789x123456789x123456789x123456789x123456789x1234")]
    public async Task Invoke_BadExecutionName_Is400NamingTheHeader(string executionName)
    {
        using HttpResponseMessage response = await Client.InvokeAsync("echo", "\"x\"", "Event", executionName);

        string message = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException");
        Assert.Contains("X-Amz-Durable-Execution-Name", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("not json")]
    [InlineData("{} {}")]
    public async Task Invoke_PayloadNotJson_Is400InvalidRequestContent(string payload)
    {
        using HttpResponseMessage response = await Client.InvokeAsync("echo", payload, "Event");

        string message = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidRequestContentException");
        Assert.StartsWith("Could not parse request body into json", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_AsyncPayloadOver256KiB_Is413()
    {
        string payload = JsonSerializer.Serialize(new string('a', 262_144));
        using HttpResponseMessage response = await Client.InvokeAsync("echo", payload, "Event");

        await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "RequestTooLargeException");
    }

    [Fact]
    public async Task Invoke_SyncPayloadOverTheExecutionInputLimit_Is413()
    {
        string payload = JsonSerializer.Serialize(new string('a', 300_000));
        using HttpResponseMessage response = await Client.InvokeAsync("echo", payload);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "RequestTooLargeException");
    }

    [Fact]
    public async Task Invoke_EmptyPayload_StartsWithoutInput()
    {
        using HttpResponseMessage response = await Client.InvokeAsync("approval", null, "Event");

        DurableExecutionDescription execution = await _server.Engine.GetExecutionAsync(ApiAssert.Header(response, "X-Amz-Durable-Execution-Arn"));
        Assert.Null(execution.InputPayload);
    }

    [Fact]
    public async Task Invoke_AcceptsAndIgnoresAwsSigV4AndSdkHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/echo/invocations") { Content = ApiRequests.Raw("\"sig\"") };
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc");
        request.Headers.Add("x-amz-date", "20260101T000000Z");
        request.Headers.Add("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        request.Headers.Add("amz-sdk-invocation-id", Guid.NewGuid().ToString());
        request.Headers.Add("amz-sdk-request", "attempt=1; max=3");
        request.Headers.Add("X-Amz-Client-Context", "e30=");
        request.Headers.Add("X-Amz-Log-Type", "Tail");
        using HttpResponseMessage response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"SIG\"", await response.Content.ReadAsStringAsync());
    }
}

public sealed class SyncInvokeTimeoutTests
{
    [Fact]
    public async Task Invoke_RequestResponsePastTheSyncLimit_Answers202WithTheArn_AndTheExecutionGoesOn()
    {
        var time = new TimerWatchingTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(), time: time);

        Task<HttpResponseMessage> invoke = server.Client.InvokeAsync("sleeper", "\"zz\"");
        // The server arms its 15-minute limit on the fake clock once the execution has started; then the limit passes.
        await time.WhenTimerArmedAsync(TimeSpan.FromMinutes(15));
        await server.IdleAsync();
        time.Advance(TimeSpan.FromMinutes(15));

        using HttpResponseMessage response = await invoke.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        string arn = ApiAssert.Header(response, "X-Amz-Durable-Execution-Arn");
        Assert.Equal(ExecutionStatus.Running, (await server.Engine.GetExecutionAsync(arn)).Status);
    }
}
