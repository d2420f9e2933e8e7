using System.Net;
using System.Text.Json;
using Durably.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Server.Tests;

public sealed class ExecutionRoutesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private DurablyTestServer _server = null!;

    private HttpClient Client => _server.Client;

    public async Task InitializeAsync() => _server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(), time: _time);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetDurableExecution_Succeeded_HasTheProtocolShape_WithEpochSecondTimestamps()
    {
        using HttpResponseMessage invoke = await Client.InvokeAsync("echo", "\"hi\"", executionName: "shape");
        string arn = ApiAssert.Header(invoke, "X-Amz-Durable-Execution-Arn");

        JsonElement execution = await ApiAssert.JsonAsync(await Client.GetAsync(ApiRequests.Execution(arn)));

        Assert.Equal(arn, execution.GetProperty("DurableExecutionArn").GetString());
        Assert.Equal("shape", execution.GetProperty("DurableExecutionName").GetString());
        Assert.Equal("arn:aws:lambda:local:000000000000:function:echo:1", execution.GetProperty("FunctionArn").GetString());
        Assert.Equal("SUCCEEDED", execution.GetProperty("Status").GetString());
        Assert.Equal(JsonValueKind.Number, execution.GetProperty("StartTimestamp").ValueKind);
        Assert.Equal(Start.ToUnixTimeSeconds(), execution.GetProperty("StartTimestamp").GetDouble());
        Assert.Equal(JsonValueKind.Number, execution.GetProperty("EndTimestamp").ValueKind);
        Assert.Equal("\"hi\"", execution.GetProperty("InputPayload").GetString());
        Assert.Equal("\"HI\"", execution.GetProperty("Result").GetString());
        Assert.False(execution.TryGetProperty("Error", out _));
        Assert.Equal("1", execution.GetProperty("Version").GetString());
        Assert.True(execution.GetProperty("ExecutionDataIncluded").GetBoolean());
        Assert.Equal(86_400, execution.GetProperty("DurableConfig").GetProperty("ExecutionTimeout").GetInt32());
        Assert.Equal(14, execution.GetProperty("DurableConfig").GetProperty("RetentionPeriodInDays").GetInt32());
    }

    [Fact]
    public async Task GetDurableExecution_WithoutExecutionData_OmitsPayloads()
    {
        using HttpResponseMessage invoke = await Client.InvokeAsync("echo", "\"hi\"");
        string arn = ApiAssert.Header(invoke, "X-Amz-Durable-Execution-Arn");

        JsonElement execution = await ApiAssert.JsonAsync(await Client.GetAsync(ApiRequests.Execution(arn, "?IncludeExecutionData=false")));

        Assert.False(execution.TryGetProperty("InputPayload", out _));
        Assert.False(execution.TryGetProperty("Result", out _));
        Assert.False(execution.GetProperty("ExecutionDataIncluded").GetBoolean());
    }

    [Fact]
    public async Task GetDurableExecution_ArnNotPercentEncoded_IsRoutedToo()
    {
        string arn = await Client.StartAsync("approval", "\"raw\"");

        JsonElement execution = await ApiAssert.JsonAsync(await Client.GetAsync($"2025-12-01/durable-executions/{arn}"));

        Assert.Equal(arn, execution.GetProperty("DurableExecutionArn").GetString());
    }

    [Fact]
    public async Task GetDurableExecution_UnknownExecution_Is404WithCapitalMessage()
    {
        string arn = "arn:aws:lambda:local:000000000000:function:echo:1/durable-execution/x/00000000-0000-0000-0000-000000000000";

        await ApiAssert.ErrorAsync(await Client.GetAsync(ApiRequests.Execution(arn)), HttpStatusCode.NotFound, "ResourceNotFoundException", "Message");
    }

    [Fact]
    public async Task GetDurableExecution_RetentionExpired_Is404LikeAnUnknownExecution()
    {
        using HttpResponseMessage invoke = await Client.InvokeAsync("echo", "\"hi\"", executionName: "expiring");
        string arn = ApiAssert.Header(invoke, "X-Amz-Durable-Execution-Arn");
        await ApiAssert.JsonAsync(await Client.GetAsync(ApiRequests.Execution(arn)));

        _time.Advance(TimeSpan.FromDays(14));

        string message = await ApiAssert.ErrorAsync(await Client.GetAsync(ApiRequests.Execution(arn)), HttpStatusCode.NotFound, "ResourceNotFoundException", "Message");
        Assert.StartsWith("Execution not found", message, StringComparison.Ordinal);
        await ApiAssert.ErrorAsync(await Client.GetAsync(ApiRequests.Execution(arn, "/history")), HttpStatusCode.NotFound, "ResourceNotFoundException", "Message");
    }

    [Theory]
    [InlineData("not-an-arn", "")]
    [InlineData("arn%3Aaws%3Alambda%3Ax%2Fdurable-execution%2Fn%2Fbad%20id", "")]
    [InlineData("arn%ZZ", "")]
    [InlineData("arn%C3%28", "")]
    public async Task GetDurableExecution_MalformedArn_Is400(string rawArn, string query)
    {
        await ApiAssert.ErrorAsync(await Client.GetAsync($"2025-12-01/durable-executions/{rawArn}{query}"), HttpStatusCode.BadRequest, "InvalidParameterValueException");
    }

    [Theory]
    [InlineData("?IncludeExecutionData=yes")]
    [InlineData("?IncludeExecutionData=true&IncludeExecutionData=false")]
    public async Task GetDurableExecution_BadQuery_Is400NamingTheParameter(string query)
    {
        string arn = await Client.StartAsync("approval", "\"q\"");

        string message = await ApiAssert.ErrorAsync(await Client.GetAsync(ApiRequests.Execution(arn, query)), HttpStatusCode.BadRequest, "InvalidParameterValueException");
        Assert.Contains("IncludeExecutionData", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListDurableExecutionsByFunction_NewestFirst_ReverseOrderOldestFirst_AndPages()
    {
        var arns = new List<string>();
        for (int index = 0; index < 5; index++)
        {
            arns.Add(await Client.StartAsync("approval", $"{index}", $"list-{index}"));
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        JsonElement newest = await ApiAssert.JsonAsync(await Client.GetAsync("2025-12-01/functions/approval/durable-executions?MaxItems=2"));
        Assert.Equal([arns[4], arns[3]], newest.GetProperty("DurableExecutions").EnumerateArray().Select(row => row.GetProperty("DurableExecutionArn").GetString()));
        string marker = newest.GetProperty("NextMarker").GetString()!;
        JsonElement next = await ApiAssert.JsonAsync(await Client.GetAsync($"2025-12-01/functions/approval/durable-executions?MaxItems=2&Marker={marker}"));
        Assert.Equal([arns[2], arns[1]], next.GetProperty("DurableExecutions").EnumerateArray().Select(row => row.GetProperty("DurableExecutionArn").GetString()));

        JsonElement oldest = await ApiAssert.JsonAsync(await Client.GetAsync("2025-12-01/functions/approval/durable-executions?ReverseOrder=true"));
        JsonElement[] rows = [.. oldest.GetProperty("DurableExecutions").EnumerateArray()];
        Assert.Equal(arns, rows.Select(row => row.GetProperty("DurableExecutionArn").GetString()));
        Assert.False(oldest.TryGetProperty("NextMarker", out _));
        JsonElement row = rows[0];
        Assert.Equal("list-0", row.GetProperty("DurableExecutionName").GetString());
        Assert.Equal("RUNNING", row.GetProperty("Status").GetString());
        Assert.Equal("arn:aws:lambda:local:000000000000:function:approval:1", row.GetProperty("FunctionArn").GetString());
        Assert.Equal(JsonValueKind.Number, row.GetProperty("StartTimestamp").ValueKind);
        Assert.False(row.TryGetProperty("EndTimestamp", out _));
    }

    [Fact]
    public async Task ListDurableExecutionsByFunction_FiltersByStatusNameTimeAndQualifier()
    {
        string first = await Client.StartAsync("approval", "1", "filter-a");
        _time.Advance(TimeSpan.FromMinutes(1));
        string second = await Client.StartAsync("approval", "2", "filter-b");
        await _server.IdleAsync();
        using HttpResponseMessage stop = await Client.PostAsync(ApiRequests.Execution(second, "/stop"), null);
        string after = Uri.EscapeDataString((Start + TimeSpan.FromSeconds(30)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal([second], await ListAsync("approval", "?Statuses=STOPPED"));
        Assert.Equal([second, first], await ListAsync("approval", "?Statuses=RUNNING&Statuses=STOPPED"));
        Assert.Equal([first], await ListAsync("approval", "?DurableExecutionName=filter-a"));
        Assert.Equal([second], await ListAsync("approval", $"?StartedAfter={after}"));
        Assert.Equal([first], await ListAsync("approval", $"?StartedBefore={Start.ToUnixTimeSeconds() + 30}"));
        Assert.Equal([second, first], await ListAsync("approval", "?Qualifier=1"));
        Assert.Equal([second, first], await ListAsync("arn:aws:lambda:local:000000000000:function:approval:$LATEST", ""));
        Assert.Empty(await ListAsync("approval", "?Qualifier=7"));
    }

    [Theory]
    [InlineData("approval", "?Statuses=DONE", "Statuses")]
    [InlineData("approval", "?StartedAfter=yesterday", "StartedAfter")]
    [InlineData("approval", "?MaxItems=1001", "MaxItems")]
    [InlineData("approval", "?MaxItems=-1", "MaxItems")]
    [InlineData("approval", "?ReverseOrder=1", "ReverseOrder")]
    [InlineData("approval", "?Marker=abc", "Marker")]
    [InlineData("approval", "?DurableExecutionName=a%20b", "DurableExecutionName")]
    [InlineData("bad%20name", "", "FunctionName")]
    public async Task ListDurableExecutionsByFunction_BadInput_Is400NamingIt(string function, string query, string named)
    {
        using HttpResponseMessage response = await Client.GetAsync($"2025-12-01/functions/{function}/durable-executions{query}");

        Assert.Contains(named, await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListDurableExecutionsByFunction_UnknownFunction_Is404()
    {
        await ApiAssert.ErrorAsync(await Client.GetAsync("2025-12-01/functions/missing/durable-executions"), HttpStatusCode.NotFound, "ResourceNotFoundException", "Message");
    }

    [Fact]
    public async Task GetDurableExecutionHistory_EventsWithDetailsKeys_ReverseAndMarkers()
    {
        using HttpResponseMessage invoke = await Client.InvokeAsync("echo", "\"h\"");
        string arn = ApiAssert.Header(invoke, "X-Amz-Durable-Execution-Arn");

        JsonElement history = await ApiAssert.JsonAsync(await Client.GetAsync(ApiRequests.Execution(arn, "/history")));
        JsonElement[] events = [.. history.GetProperty("Events").EnumerateArray()];
        Assert.Equal("ExecutionStarted", events[0].GetProperty("EventType").GetString());
        Assert.Equal(1, events[0].GetProperty("EventId").GetInt32());
        Assert.Equal(JsonValueKind.Number, events[0].GetProperty("EventTimestamp").ValueKind);
        Assert.Equal("\"h\"", events[0].GetProperty("ExecutionStartedDetails").GetProperty("Input").GetProperty("Payload").GetString());
        Assert.Equal("ExecutionSucceeded", events[^1].GetProperty("EventType").GetString());
        Assert.True(events[^1].TryGetProperty("ExecutionSucceededDetails", out _));
        Assert.All(events, historyEvent => Assert.True(historyEvent.TryGetProperty(historyEvent.GetProperty("EventType").GetString() + "Details", out _)));

        JsonElement reversed = await ApiAssert.JsonAsync(await Client.GetAsync(ApiRequests.Execution(arn, "/history?ReverseOrder=true&MaxItems=2")));
        Assert.Equal([events.Length, events.Length - 1], reversed.GetProperty("Events").EnumerateArray().Select(e => e.GetProperty("EventId").GetInt32()));
        string marker = reversed.GetProperty("NextMarker").GetString()!;
        JsonElement older = await ApiAssert.JsonAsync(await Client.GetAsync(ApiRequests.Execution(arn, $"/history?ReverseOrder=true&MaxItems=2&Marker={marker}")));
        Assert.Equal(events.Length - 2, older.GetProperty("Events")[0].GetProperty("EventId").GetInt32());

        JsonElement stripped = await ApiAssert.JsonAsync(await Client.GetAsync(ApiRequests.Execution(arn, "/history?IncludeExecutionData=false")));
        Assert.False(stripped.GetProperty("Events")[0].GetProperty("ExecutionStartedDetails").GetProperty("Input").TryGetProperty("Payload", out _));
    }

    [Theory]
    [InlineData("?MaxItems=abc")]
    [InlineData("?Marker=-3")]
    [InlineData("?ReverseOrder=maybe")]
    public async Task GetDurableExecutionHistory_BadQuery_Is400(string query)
    {
        string arn = await Client.StartAsync("approval", "\"q\"");

        await ApiAssert.ErrorAsync(await Client.GetAsync(ApiRequests.Execution(arn, "/history" + query)), HttpStatusCode.BadRequest, "InvalidParameterValueException");
    }

    [Fact]
    public async Task StopDurableExecution_StopsWithTheGivenError_AndIsIdempotent()
    {
        string arn = await Client.StartAsync("approval", "\"stop-me\"");
        await _server.IdleAsync();

        JsonElement stopped = await ApiAssert.JsonAsync(await Client.PostRawAsync(ApiRequests.Execution(arn, "/stop"), "{\"ErrorType\":\"Cancelled\",\"ErrorMessage\":\"by test\"}"));
        _time.Advance(TimeSpan.FromMinutes(5));
        JsonElement again = await ApiAssert.JsonAsync(await Client.PostAsync(ApiRequests.Execution(arn, "/stop"), null));
        JsonElement execution = await ApiAssert.JsonAsync(await Client.GetAsync(ApiRequests.Execution(arn)));

        Assert.Equal(JsonValueKind.Number, stopped.GetProperty("StopTimestamp").ValueKind);
        Assert.Equal(stopped.GetProperty("StopTimestamp").GetDouble(), again.GetProperty("StopTimestamp").GetDouble());
        Assert.Equal("STOPPED", execution.GetProperty("Status").GetString());
        Assert.Equal("by test", execution.GetProperty("Error").GetProperty("ErrorMessage").GetString());
    }

    [Theory]
    [InlineData("{\"ErrorType\":", HttpStatusCode.BadRequest, "InvalidParameterValueException")]
    [InlineData("{\"ErrorType\":5}", HttpStatusCode.BadRequest, "InvalidParameterValueException")]
    [InlineData("null", HttpStatusCode.BadRequest, "InvalidParameterValueException")]
    [InlineData("[]", HttpStatusCode.BadRequest, "InvalidParameterValueException")]
    public async Task StopDurableExecution_MalformedBody_Is400AndStopsNothing(string body, HttpStatusCode status, string errorType)
    {
        string arn = await Client.StartAsync("approval", "\"keep\"");

        await ApiAssert.ErrorAsync(await Client.PostRawAsync(ApiRequests.Execution(arn, "/stop"), body), status, errorType);

        Assert.Equal("RUNNING", (await ApiAssert.JsonAsync(await Client.GetAsync(ApiRequests.Execution(arn)))).GetProperty("Status").GetString());
    }

    [Fact]
    public async Task StopDurableExecution_OversizedBody_Is413()
    {
        string arn = await Client.StartAsync("approval", "\"keep\"");
        string body = JsonSerializer.Serialize(new { ErrorMessage = new string('x', 270_000) });

        await ApiAssert.ErrorAsync(await Client.PostRawAsync(ApiRequests.Execution(arn, "/stop"), body), HttpStatusCode.RequestEntityTooLarge, "RequestTooLargeException");
    }

    [Fact]
    public async Task StopDurableExecution_UnknownExecution_Is404()
    {
        string arn = "arn:aws:lambda:local:000000000000:function:echo:1/durable-execution/x/00000000-0000-0000-0000-000000000000";

        await ApiAssert.ErrorAsync(await Client.PostAsync(ApiRequests.Execution(arn, "/stop"), null), HttpStatusCode.NotFound, "ResourceNotFoundException", "Message");
    }

    private async Task<string[]> ListAsync(string function, string query)
    {
        JsonElement page = await ApiAssert.JsonAsync(await Client.GetAsync($"2025-12-01/functions/{Uri.EscapeDataString(function)}/durable-executions{query}"));
        return [.. page.GetProperty("DurableExecutions").EnumerateArray().Select(row => row.GetProperty("DurableExecutionArn").GetString()!)];
    }
}
