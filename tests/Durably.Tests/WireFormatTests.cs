using System.Net;
using System.Text;
using System.Text.Json;
using Durably.Protocol;

namespace Durably.Tests;

public sealed class WireFormatTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123);

    [Fact]
    public void Operation_ApiJson_UsesExactNamesEpochSecondsAndOmitsAbsentFields()
    {
        var operation = new Operation
        {
            Id = "abc",
            Type = OperationType.ChainedInvoke,
            Status = OperationStatus.TimedOut,
            StartTimestamp = At,
            StepDetails = new StepDetails { Attempt = 2 },
        };

        string json = JsonSerializer.Serialize(operation, DurablyJson.Api);

        Assert.Equal("{\"Id\":\"abc\",\"Type\":\"CHAINED_INVOKE\",\"Status\":\"TIMED_OUT\",\"StartTimestamp\":1767225600.123,\"StepDetails\":{\"Attempt\":2}}", json);
    }

    [Fact]
    public void Operation_EnvelopeJson_UsesEpochMilliseconds()
    {
        var operation = new Operation { Id = "x", Type = OperationType.Wait, Status = OperationStatus.Started, WaitDetails = new WaitDetails { ScheduledEndTimestamp = At } };

        string json = JsonSerializer.Serialize(operation, DurablyJson.Envelope);

        Assert.Contains("\"ScheduledEndTimestamp\":1767225600123", json);
        Assert.Equal(At, JsonSerializer.Deserialize<Operation>(json, DurablyJson.Envelope)!.WaitDetails!.ScheduledEndTimestamp);
    }

    [Fact]
    public void HistoryEvent_WritesDetailsUnderEventTypeKeyAndEmptyObjectWhenNoFields()
    {
        var started = new HistoryEvent { EventType = "StepStarted", EventId = 2, EventTimestamp = At, Id = "s1", SubType = "Step" };
        var succeeded = started with
        {
            EventType = "StepSucceeded",
            EventId = 3,
            Details = new HistoryEventDetails { Result = new EventPayload { Payload = "\"ok\"" }, RetryDetails = new RetryDetails { CurrentAttempt = 1 } },
        };

        string startedJson = JsonSerializer.Serialize(started, DurablyJson.Api);
        string succeededJson = JsonSerializer.Serialize(succeeded, DurablyJson.Api);
        HistoryEvent roundTrip = JsonSerializer.Deserialize<HistoryEvent>(succeededJson, DurablyJson.Api)!;

        Assert.Equal("{\"EventType\":\"StepStarted\",\"EventId\":2,\"EventTimestamp\":1767225600.123,\"Id\":\"s1\",\"SubType\":\"Step\",\"StepStartedDetails\":{}}", startedJson);
        // Quotes inside a payload are escaped as \", not \u0022 (DurablyJson's relaxed encoder).
        Assert.Contains("\"StepSucceededDetails\":{\"Result\":{\"Payload\":\"\\\"ok\\\"\"},\"RetryDetails\":{\"CurrentAttempt\":1}}", succeededJson);
        Assert.Equal(succeeded.Details, roundTrip.Details);
        Assert.Null(roundTrip.Name);
    }

    [Fact]
    public async Task HttpClient_Checkpoint_PostsToEscapedArnRouteWithProtocolJson()
    {
        var handler = new RecordingHandler(_ => Json(HttpStatusCode.OK, "{\"CheckpointToken\":\"t2\",\"NewExecutionState\":{\"Operations\":[{\"Id\":\"s\",\"Type\":\"STEP\",\"Status\":\"SUCCEEDED\",\"EndTimestamp\":1767225600.5}]}}"));
        var client = new HttpDurableExecutionClient(new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:5080/") });

        CheckpointDurableExecutionResponse response = await client.CheckpointAsync(new CheckpointDurableExecutionRequest
        {
            DurableExecutionArn = FakeExecutionClient.Arn,
            CheckpointToken = "t1",
            Updates = [new OperationUpdate { Id = "s", Type = OperationType.Step, Action = OperationAction.Succeed, Payload = "1" }],
        });

        Assert.Equal(HttpMethod.Post, handler.Request!.Method);
        Assert.Equal("/2025-12-01/durable-executions/" + Uri.EscapeDataString(FakeExecutionClient.Arn) + "/checkpoint", handler.Request.RequestUri!.AbsolutePath);
        Assert.Equal("{\"CheckpointToken\":\"t1\",\"Updates\":[{\"Id\":\"s\",\"Type\":\"STEP\",\"Action\":\"SUCCEED\",\"Payload\":\"1\"}]}", handler.Body);
        Assert.Equal("t2", response.CheckpointToken);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_500), response.NewExecutionState!.Operations[0].EndTimestamp);
    }

    [Fact]
    public async Task HttpClient_InvalidTokenAnswer_BecomesRetryableServiceException()
    {
        var handler = new RecordingHandler(_ =>
        {
            HttpResponseMessage response = Json(HttpStatusCode.BadRequest, "{\"Type\":\"User\",\"message\":\"Invalid Checkpoint Token: consumed\"}");
            response.Headers.Add("X-Amzn-ErrorType", "InvalidParameterValueException:http://internal.amazon.com/");
            return response;
        });
        var client = new HttpDurableExecutionClient(new HttpClient(handler) { BaseAddress = new Uri("http://127.0.0.1:5080/") });

        DurableServiceException error = await Assert.ThrowsAsync<DurableServiceException>(() => client.GetExecutionStateAsync(
            new GetDurableExecutionStateRequest { DurableExecutionArn = "a/b", CheckpointToken = "t+/=1", MaxItems = 1000 }));

        Assert.Equal(ServiceErrorCodes.InvalidParameterValue, error.ErrorCode);
        Assert.True(error.IsInvalidCheckpointToken);
        Assert.True(error.IsRetryable);
        Assert.Equal("CheckpointToken=t%2B%2F%3D1&MaxItems=1000", handler.Request!.RequestUri!.Query.TrimStart('?'));
    }

    [Theory]
    [InlineData("ResourceNotFoundException:http://internal.amazon.com/", """{"Type":"User","Message":"gone"}""", "ResourceNotFoundException", "gone")]
    [InlineData(null, """{"__type":"com.amazonaws#InvalidParameterValueException","message":"bad"}""", "InvalidParameterValueException", "bad")]
    [InlineData(null, "<html>bad gateway</html>", "HTTP 502", "<html>bad gateway</html>")]
    public void FromHttpResponse_NamesErrorsAsLambdaDoes(string? header, string body, string name, string message)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway);
        if (header is not null)
        {
            response.Headers.Add("X-Amzn-ErrorType", header);
        }

        DurableServiceException error = DurableServiceException.FromHttpResponse(response, body);

        Assert.Equal((name, message, 502), (error.ErrorCode, error.Message, error.StatusCode));
    }

    [Fact]
    public void FromHttpResponse_NameCollision_IsDurableExecutionAlreadyStartedException()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Conflict);
        response.Headers.Add("X-Amzn-ErrorType", "DurableExecutionAlreadyStartedException");

        Assert.IsType<DurableExecutionAlreadyStartedException>(DurableServiceException.FromHttpResponse(response, """{"Message":"taken"}"""));
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private sealed class RecordingHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return answer(request);
        }
    }
}
