using System.Net;
using System.Text.Json;
using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

public sealed class CheckpointRoutesTests : IAsyncLifetime
{
    private readonly InvocationProbe _probe = new();
    private DurablyTestServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await DurablyTestServer.StartAsync(durably => durably.AddRawFunction("probe", _probe.Handler));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Checkpoint_AppliesUpdates_ReturnsANewTokenAndTheTouchedOperations()
    {
        (string arn, ProbedInvocation invocation) = await StartAsync();

        JsonElement response = await ApiAssert.JsonAsync(await Client.PostRawAsync(ApiRequests.Execution(arn, "/checkpoint"), Checkpoint(invocation.Input.CheckpointToken,
            "{\"Id\":\"s1\",\"Type\":\"STEP\",\"SubType\":\"Step\",\"Name\":\"one\",\"Action\":\"START\"},"
            + "{\"Id\":\"s1\",\"Type\":\"STEP\",\"SubType\":\"Step\",\"Name\":\"one\",\"Action\":\"SUCCEED\",\"Payload\":\"42\"},"
            + "{\"Id\":\"w1\",\"Type\":\"WAIT\",\"SubType\":\"Wait\",\"Action\":\"START\",\"WaitOptions\":{\"WaitSeconds\":60}}")));

        string token = response.GetProperty("CheckpointToken").GetString()!;
        Assert.NotEqual(invocation.Input.CheckpointToken, token);
        JsonElement[] operations = [.. response.GetProperty("NewExecutionState").GetProperty("Operations").EnumerateArray()];
        JsonElement step = operations.Single(op => op.GetProperty("Id").GetString() == "s1");
        Assert.Equal("SUCCEEDED", step.GetProperty("Status").GetString());
        Assert.Equal("42", step.GetProperty("StepDetails").GetProperty("Result").GetString());
        Assert.Equal(JsonValueKind.Number, step.GetProperty("StartTimestamp").ValueKind);
        JsonElement wait = operations.Single(op => op.GetProperty("Id").GetString() == "w1");
        Assert.False(wait.TryGetProperty("Name", out _));
        Assert.Equal(JsonValueKind.Number, wait.GetProperty("WaitDetails").GetProperty("ScheduledEndTimestamp").ValueKind);

        JsonElement state = await ApiAssert.JsonAsync(await Client.GetAsync(ApiRequests.Execution(arn, $"/state?CheckpointToken={Uri.EscapeDataString(token)}&MaxItems=2")));
        Assert.Equal(["EXECUTION", "STEP"], state.GetProperty("Operations").EnumerateArray().Select(op => op.GetProperty("Type").GetString()!));
        string marker = state.GetProperty("NextMarker").GetString()!;
        JsonElement rest = await ApiAssert.JsonAsync(await Client.GetAsync(ApiRequests.Execution(arn, $"/state?CheckpointToken={Uri.EscapeDataString(token)}&Marker={marker}")));
        Assert.Equal("w1", rest.GetProperty("Operations")[0].GetProperty("Id").GetString());
        invocation.Return(InvocationStatus.Pending);
    }

    [Fact]
    public async Task Checkpoint_SameClientTokenAndToken_ReplaysTheCachedAnswerByteForByte()
    {
        (string arn, ProbedInvocation invocation) = await StartAsync();
        string body = Checkpoint(invocation.Input.CheckpointToken, "{\"Id\":\"s1\",\"Type\":\"STEP\",\"Action\":\"SUCCEED\",\"Payload\":\"1\"}", "\"ClientToken\":\"retry-1\",");

        using HttpResponseMessage first = await Client.PostRawAsync(ApiRequests.Execution(arn, "/checkpoint"), body);
        using HttpResponseMessage retry = await Client.PostRawAsync(ApiRequests.Execution(arn, "/checkpoint"), body);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        invocation.Return(InvocationStatus.Succeeded, "1");
    }

    [Fact]
    public async Task Checkpoint_StaleOrUnknownToken_IsInvalidCheckpointToken_AndChangesNothing()
    {
        (string arn, ProbedInvocation invocation) = await StartAsync();
        using HttpResponseMessage used = await Client.PostRawAsync(ApiRequests.Execution(arn, "/checkpoint"), Checkpoint(invocation.Input.CheckpointToken, ""));
        int events = (await _server.Engine.GetHistoryAsync(arn)).Events.Count;

        foreach (string token in new[] { invocation.Input.CheckpointToken, "bogus", "" })
        {
            using HttpResponseMessage response = await Client.PostRawAsync(ApiRequests.Execution(arn, "/checkpoint"),
                Checkpoint(token, "{\"Id\":\"s9\",\"Type\":\"STEP\",\"Action\":\"SUCCEED\"}"));
            string message = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException");
            Assert.StartsWith("Invalid Checkpoint Token", message, StringComparison.Ordinal);
        }

        Assert.Equal(events, (await _server.Engine.GetHistoryAsync(arn)).Events.Count);
        invocation.Return(InvocationStatus.Succeeded);
    }

    [Fact]
    public async Task Checkpoint_UnknownExecution_IsInvalidCheckpointToken()
    {
        string arn = "arn:aws:lambda:local:000000000000:function:probe:1/durable-execution/x/00000000-0000-0000-0000-000000000000";

        string message = await ApiAssert.ErrorAsync(await Client.PostRawAsync(ApiRequests.Execution(arn, "/checkpoint"), Checkpoint("t", "")), HttpStatusCode.BadRequest, "InvalidParameterValueException");
        Assert.StartsWith("Invalid Checkpoint Token", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"Updates\":[]}", "CheckpointToken")]
    [InlineData("{\"CheckpointToken\":5}", "CheckpointToken")]
    [InlineData("{\"CheckpointToken\":\"TOKEN\",\"Updates\":[null]}", "Updates[0]")]
    [InlineData("{\"CheckpointToken\":\"TOKEN\",\"Updates\":[{\"Id\":\"a\",\"Type\":\"NAP\",\"Action\":\"START\"}]}", "Updates[0].Type")]
    [InlineData("{\"CheckpointToken\":\"TOKEN\",\"Updates\":[{\"Id\":\"a\",\"Type\":\"WAIT\",\"Action\":\"START\",\"WaitOptions\":{\"WaitSeconds\":0}}]}", "WaitSeconds")]
    [InlineData("{\"CheckpointToken\":\"TOKEN\",\"Updates\":[{\"Id\":\"a\",\"Type\":\"WAIT\",\"Action\":\"START\",\"WaitOptions\":{\"WaitSeconds\":99999999999}}]}", "WaitSeconds")]
    [InlineData("{\"CheckpointToken\":\"TOKEN\",\"Updates\":[{\"Id\":\"a b\",\"Type\":\"STEP\",\"Action\":\"START\"}]}", "Id")]
    [InlineData("{\"CheckpointToken\":\"TOKEN\",\"Updates\":[{\"Type\":\"STEP\",\"Action\":\"START\"}]}", "Id")]
    [InlineData("{\"CheckpointToken\":\"TOKEN\",\"Updates\":{}}", "Updates")]
    [InlineData("{\"CheckpointToken\":\"TOKEN\"", "line")]
    public async Task Checkpoint_MalformedRequest_Is400NamingTheProblem_AndChangesNothing(string body, string named)
    {
        (string arn, ProbedInvocation invocation) = await StartAsync();
        int events = (await _server.Engine.GetHistoryAsync(arn)).Events.Count;

        using HttpResponseMessage response = await Client.PostRawAsync(ApiRequests.Execution(arn, "/checkpoint"), body.Replace("TOKEN", invocation.Input.CheckpointToken, StringComparison.Ordinal));

        string message = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException");
        Assert.Contains(named, message, StringComparison.Ordinal);
        Assert.DoesNotContain("Invalid Checkpoint Token", message, StringComparison.Ordinal);
        Assert.Equal(events, (await _server.Engine.GetHistoryAsync(arn)).Events.Count);
        invocation.Return(InvocationStatus.Succeeded);
    }

    [Fact]
    public async Task GetDurableExecutionState_WrongOrMissingToken_IsInvalidCheckpointToken()
    {
        (string arn, ProbedInvocation invocation) = await StartAsync();

        foreach (string query in new[] { "", "?CheckpointToken=nope", "?CheckpointToken=" })
        {
            string message = await ApiAssert.ErrorAsync(await Client.GetAsync(ApiRequests.Execution(arn, "/state" + query)), HttpStatusCode.BadRequest, "InvalidParameterValueException");
            Assert.StartsWith("Invalid Checkpoint Token", message, StringComparison.Ordinal);
        }

        string bad = await ApiAssert.ErrorAsync(await Client.GetAsync(ApiRequests.Execution(arn, $"/state?CheckpointToken={invocation.Input.CheckpointToken}&MaxItems=5000")),
            HttpStatusCode.BadRequest, "InvalidParameterValueException");
        Assert.Contains("MaxItems", bad, StringComparison.Ordinal);
        invocation.Return(InvocationStatus.Succeeded);
    }

    private async Task<(string Arn, ProbedInvocation Invocation)> StartAsync()
    {
        string arn = await Client.StartAsync("probe", "{\"n\":1}");
        return (arn, await _probe.NextAsync());
    }

    private static string Checkpoint(string token, string updates, string extra = "") =>
        $"{{\"CheckpointToken\":{JsonSerializer.Serialize(token)},{extra}\"Updates\":[{updates}]}}";
}
