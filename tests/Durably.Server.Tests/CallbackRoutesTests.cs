using System.Net;
using System.Text.Json;
using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

public sealed class CallbackRoutesTests : IAsyncLifetime
{
    private DurablyTestServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Succeed_RawBodyIsTheResultVerbatim_AndAnswersEmptyObject()
    {
        (string arn, string callbackId) = await StartWithCallbackAsync();
        var body = new ByteArrayContent("\"abc\""u8.ToArray());
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");

        using HttpResponseMessage response = await Client.PostAsync(ApiRequests.Callback(callbackId, "succeed"), body);

        Assert.Equal(JsonValueKind.Object, (await ApiAssert.JsonAsync(response)).ValueKind);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        DurableExecutionDescription done = await _server.Engine.WaitForCompletionAsync(arn).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("\"abc\"", done.Result);
        HistoryEvent succeeded = (await _server.Engine.GetHistoryAsync(arn)).Events.Single(e => e.EventType == HistoryEventTypes.CallbackSucceeded);
        Assert.Equal("\"abc\"", succeeded.Details.Result!.Payload);
    }

    [Fact]
    public async Task Fail_ErrorObjectBody_FailsTheCallback()
    {
        (string arn, string callbackId) = await StartWithCallbackAsync();

        using HttpResponseMessage response = await Client.PostRawAsync(ApiRequests.Callback(callbackId, "fail"), "{\"ErrorType\":\"Rejected\",\"ErrorMessage\":\"no\"}");

        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        DurableExecutionDescription done = await _server.Engine.WaitForCompletionAsync(arn).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ExecutionStatus.Failed, done.Status);
        HistoryEvent failed = (await _server.Engine.GetHistoryAsync(arn)).Events.Single(e => e.EventType == HistoryEventTypes.CallbackFailed);
        Assert.Equal("Rejected", failed.Details.Error!.Payload!.ErrorType);
    }

    [Fact]
    public async Task Fail_EmptyBody_IsAnErrorWithNoFields()
    {
        (string arn, string callbackId) = await StartWithCallbackAsync();

        using HttpResponseMessage response = await Client.PostAsync(ApiRequests.Callback(callbackId, "fail"), null);

        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        Assert.Equal(ExecutionStatus.Failed, (await _server.Engine.WaitForCompletionAsync(arn).WaitAsync(TimeSpan.FromSeconds(10))).Status);
    }

    [Fact]
    public async Task Heartbeat_OpenCallback_AnswersEmptyObject_ClosedCallback_IsCallbackTimeout()
    {
        (string arn, string callbackId) = await StartWithCallbackAsync();

        using HttpResponseMessage beat = await Client.PostAsync(ApiRequests.Callback(callbackId, "heartbeat"), null);
        Assert.Equal("{}", await beat.Content.ReadAsStringAsync());
        using HttpResponseMessage succeed = await Client.PostRawAsync(ApiRequests.Callback(callbackId, "succeed"), "1");
        await _server.Engine.WaitForCompletionAsync(arn).WaitAsync(TimeSpan.FromSeconds(10));

        await ApiAssert.ErrorAsync(await Client.PostAsync(ApiRequests.Callback(callbackId, "heartbeat"), null), HttpStatusCode.BadRequest, "CallbackTimeoutException", "Message");
        await ApiAssert.ErrorAsync(await Client.PostRawAsync(ApiRequests.Callback(callbackId, "succeed"), "2"), HttpStatusCode.BadRequest, "CallbackTimeoutException", "Message");
        await ApiAssert.ErrorAsync(await Client.PostRawAsync(ApiRequests.Callback(callbackId, "fail"), "{}"), HttpStatusCode.BadRequest, "CallbackTimeoutException", "Message");
    }

    [Theory]
    [InlineData("succeed")]
    [InlineData("fail")]
    [InlineData("heartbeat")]
    public async Task UnknownCallbackId_Is404(string action)
    {
        await ApiAssert.ErrorAsync(await Client.PostRawAsync(ApiRequests.Callback("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", action), "{}"), HttpStatusCode.NotFound, "ResourceNotFoundException", "Message");
    }

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("abc===")]
    [InlineData("a b")]
    public async Task MalformedCallbackId_Is400NamingCallbackId(string callbackId)
    {
        string message = await ApiAssert.ErrorAsync(await Client.PostAsync(ApiRequests.Callback(callbackId, "heartbeat"), null), HttpStatusCode.BadRequest, "InvalidParameterValueException");
        Assert.Contains("CallbackId", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallbackIdOver1024Characters_Is400()
    {
        await ApiAssert.ErrorAsync(await Client.PostAsync(ApiRequests.Callback(new string('A', 1025), "heartbeat"), null), HttpStatusCode.BadRequest, "InvalidParameterValueException");
    }

    [Fact]
    public async Task Succeed_BodyOver256KiB_Is413_AndTheCallbackStaysOpen()
    {
        (string arn, string callbackId) = await StartWithCallbackAsync();

        await ApiAssert.ErrorAsync(await Client.PostRawAsync(ApiRequests.Callback(callbackId, "succeed"), new string('a', 262_145)), HttpStatusCode.RequestEntityTooLarge, "RequestTooLargeException");
        await ApiAssert.ErrorAsync(await Client.PostRawAsync(ApiRequests.Callback(callbackId, "fail"), JsonSerializer.Serialize(new { ErrorMessage = new string('a', 262_145) })), HttpStatusCode.RequestEntityTooLarge, "RequestTooLargeException");

        Assert.Equal(ExecutionStatus.Running, (await _server.Engine.GetExecutionAsync(arn)).Status);
    }

    [Fact]
    public async Task Succeed_BodyNotUtf8_Is400()
    {
        (_, string callbackId) = await StartWithCallbackAsync();

        using HttpResponseMessage response = await Client.PostAsync(ApiRequests.Callback(callbackId, "succeed"), new ByteArrayContent([0xC3, 0x28]));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException");
    }

    [Theory]
    [InlineData("{\"ErrorType\":")]
    [InlineData("{\"StackTrace\":\"not a list\"}")]
    [InlineData("\"text\"")]
    public async Task Fail_MalformedErrorObject_Is400AndLeavesTheCallbackOpen(string body)
    {
        (string arn, string callbackId) = await StartWithCallbackAsync();

        await ApiAssert.ErrorAsync(await Client.PostRawAsync(ApiRequests.Callback(callbackId, "fail"), body), HttpStatusCode.BadRequest, "InvalidParameterValueException");

        Assert.Equal(ExecutionStatus.Running, (await _server.Engine.GetExecutionAsync(arn)).Status);
    }

    private async Task<(string Arn, string CallbackId)> StartWithCallbackAsync()
    {
        string arn = await Client.StartAsync("approval", "\"cb\"");
        return (arn, await _server.CallbackIdAsync(arn));
    }
}
