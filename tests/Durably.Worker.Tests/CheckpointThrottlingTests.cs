using System.Net;
using System.Text;
using System.Text.Json;
using Durably.Protocol;
using Durably.Worker.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Durably.Worker.Tests;

/// <summary>
/// docs/sdk.md: a checkpoint answered with a stale-token error, 429 or a 5xx ends the invocation with an exception
/// (the service retries the invocation); any other rejection fails the execution. Against a real Kestrel answering so.
/// </summary>
public sealed class CheckpointThrottlingTests
{
    private const string Arn = "arn:aws:lambda:local:000000000000:function:fn:1/durable-execution/n/0b0e0c1d";

    [Theory]
    [InlineData(429, "TooManyRequestsException", "Rate exceeded")]
    [InlineData(500, "ServiceException", "Internal failure")]
    [InlineData(503, "ServiceException", "Service unavailable")]
    [InlineData(400, "InvalidParameterValueException", "Invalid Checkpoint Token: the token was already used.")]
    public async Task RetryableCheckpointAnswer_IsRethrown_SoTheInvocationIsRetried(int status, string errorType, string message)
    {
        await using TestServer server = await StartServerAnsweringAsync(status, errorType, message);
        using var http = new HttpClient { BaseAddress = server.Address };

        DurableServiceException exception = await Assert.ThrowsAsync<DurableServiceException>(() =>
            DurableFunction.WrapAsync<string, string>(StepWorkflowAsync, Envelope(), new HttpDurableExecutionClient(http)));

        Assert.Equal(status, exception.StatusCode);
        Assert.Equal(errorType, exception.ErrorCode);
        Assert.Equal(message, exception.Message);
        Assert.True(exception.IsRetryable);
    }

    [Fact]
    public async Task OtherRejection_FailsTheExecution_AsUnrecoverable()
    {
        await using TestServer server = await StartServerAnsweringAsync(400, "InvalidParameterValueException", "Payload is too large.");
        using var http = new HttpClient { BaseAddress = server.Address };

        DurableExecutionInvocationOutput output = await DurableFunction.WrapAsync<string, string>(StepWorkflowAsync, Envelope(), new HttpDurableExecutionClient(http));

        Assert.Equal(InvocationStatus.Failed, output.Status);
        Assert.Equal("InvalidParameterValueException", output.Error!.ErrorType);
        Assert.Equal("[Unrecoverable Execution] Checkpoint failed: Payload is too large.", output.Error.ErrorMessage);
    }

    [Fact]
    public async Task Worker_AnswersAThrottledCheckpointWith500AndLambdasFunctionError()
    {
        await using TestServer server = await StartServerAnsweringAsync(429, "TooManyRequestsException", "Rate exceeded");
        await using TestServer worker = await TestServer.StartAppAsync(app =>
            app.MapDurableFunction<string, string>("/fn", StepWorkflowAsync, options => options.ServerUrl = server.Address));
        using var http = new HttpClient { BaseAddress = worker.Address };

        using HttpResponseMessage response = await http.PostAsync("fn", new StringContent(
            JsonSerializer.Serialize(Envelope(), DurablyJson.Envelope), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using JsonDocument error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("TooManyRequestsException", error.RootElement.GetProperty("errorType").GetString());
        Assert.Equal("Rate exceeded", error.RootElement.GetProperty("errorMessage").GetString());
    }

    private static Task<string> StepWorkflowAsync(string input, IDurableContext context) =>
        context.StepAsync((_, _) => Task.FromResult(input + "!"), "shout");

    /// <summary>A server whose checkpoint route answers every request with <paramref name="status"/> and a Lambda error.</summary>
    private static Task<TestServer> StartServerAnsweringAsync(int status, string errorType, string message) => TestServer.StartAppAsync(app =>
        app.MapPost("/2025-12-01/durable-executions/{arn}/checkpoint", async context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers["X-Amzn-ErrorType"] = errorType;
            await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["Type"] = "Service", ["message"] = message });
        }));

    private static DurableExecutionInvocationInput Envelope() => new()
    {
        DurableExecutionArn = Arn,
        CheckpointToken = "token",
        InitialExecutionState = new InitialExecutionState
        {
            Operations =
            [
                new Operation
                {
                    Id = "0b0e0c1d", Type = OperationType.Execution, Status = OperationStatus.Started, StartTimestamp = DateTimeOffset.UnixEpoch,
                    ExecutionDetails = new ExecutionDetails { InputPayload = "\"hi\"" },
                },
            ],
        },
    };
}
