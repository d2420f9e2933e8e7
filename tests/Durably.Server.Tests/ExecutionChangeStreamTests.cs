using System.Net;
using System.Text.Json;
using Durably.Engine;
using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

public sealed class ExecutionChangeStreamTests : IAsyncLifetime
{
    private const string Key = "stream-key-0123456789-0123456789";

    private DurablyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Stream_SendsEachCommittedChange_InOrder_UntilTheExecutionCloses()
    {
        await using ServerSentEvents stream = await OpenAsync("durably/stream?FunctionName=echo");
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);

        string arn = await _server.Client.StartAsync("echo", "\"hi\"");
        List<ServerSentEvent> events = await ReadUntilClosedAsync(stream, arn);

        Assert.All(events, e => Assert.Equal("execution", e.Event));
        long[] ids = [.. events.Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        int[] counts = [.. events.Select(e => Data(e).GetProperty("HistoryEventCount").GetInt32())];
        Assert.Equal(counts.Order(), counts);
        Assert.Equal("RUNNING", Data(events[0]).GetProperty("Status").GetString());
        JsonElement last = Data(events[^1]);
        Assert.Equal("SUCCEEDED", last.GetProperty("Status").GetString());
        Assert.Equal((await _server.Engine.GetHistoryAsync(arn)).Events.Count, last.GetProperty("HistoryEventCount").GetInt32());
        Assert.Equal("1", last.GetProperty("Version").GetString());
        Assert.EndsWith(":function:echo:1", last.GetProperty("FunctionArn").GetString(), StringComparison.Ordinal);
        Assert.True(last.TryGetProperty("EndTimestamp", out _));
        Assert.True(last.TryGetProperty("DurableExecutionName", out _));
    }

    [Fact]
    public async Task Stream_FilteredByFunctionOrExecution_SkipsOtherExecutions()
    {
        await using ServerSentEvents byFunction = await OpenAsync("durably/stream?FunctionName=approval");
        string echo = await _server.Client.StartAsync("echo", "\"x\"");
        await _server.Engine.WaitForCompletionAsync(echo).WaitAsync(TimeSpan.FromSeconds(10));
        string approval = await _server.Client.StartAsync("approval", "\"x\"");
        await _server.CallbackIdAsync(approval);

        Assert.Equal(approval, Arn(await byFunction.NextAsync("the approval's first change")));

        await using ServerSentEvents byExecution = await OpenAsync($"durably/stream?DurableExecutionArn={Uri.EscapeDataString(approval)}");
        string other = await _server.Client.StartAsync("approval", "\"y\"");
        await _server.CallbackIdAsync(other);
        await _server.Client.PostRawAsync(ApiRequests.Callback(await _server.CallbackIdAsync(approval), "succeed"), "\"ok\"");

        ServerSentEvent first = await byExecution.NextAsync("the approval's callback result");
        Assert.Equal(approval, Arn(first));
    }

    [Fact]
    public async Task Stream_ResumedWithLastEventId_ReplaysTheEventsAfterIt()
    {
        await using ServerSentEvents live = await OpenAsync("durably/stream");
        string arn = await _server.Client.StartAsync("echo", "\"hi\"");
        List<ServerSentEvent> seen = await ReadUntilClosedAsync(live, arn);
        Assert.True(seen.Count >= 3, $"Expected at least 3 changes of an echo execution, got {seen.Count}.");

        await using ServerSentEvents byHeader = await OpenAsync("durably/stream", request => request.Headers.Add("Last-Event-ID", seen[0].Id));
        await using ServerSentEvents byQuery = await OpenAsync($"durably/stream?LastEventId={seen[0].Id}");

        foreach (ServerSentEvents resumed in (ServerSentEvents[])[byHeader, byQuery])
        {
            foreach (ServerSentEvent expected in seen.Skip(1))
            {
                ServerSentEvent replayed = await NextExecutionEventAsync(resumed, $"the replay of event {expected.Id}");
                Assert.Equal(expected, replayed);
            }
        }
    }

    [Theory]
    [InlineData("1")]
    [InlineData("999999999999999999")]
    public async Task Stream_ResumedFromAnIdNotInTheBuffer_StartsWithReset(string lastEventId)
    {
        await _server.Engine.WaitForCompletionAsync(await _server.Client.StartAsync("echo", "\"x\"")).WaitAsync(TimeSpan.FromSeconds(10));

        await using ServerSentEvents stream = await OpenAsync("durably/stream", request => request.Headers.Add("Last-Event-ID", lastEventId));

        ServerSentEvent reset = await stream.NextAsync("the reset");
        Assert.Equal("reset", reset.Event);
        Assert.Equal("{}", reset.Data);
        Assert.Equal(_server.Engine.Changes.LastSequence.ToString(System.Globalization.CultureInfo.InvariantCulture), reset.Id);
        string arn = await _server.Client.StartAsync("echo", "\"y\"");
        Assert.Equal(arn, Arn(await stream.NextAsync("the change after the reset")));
    }

    [Theory]
    [InlineData("durably/stream?LastEventId=abc", "Last-Event-ID")]
    [InlineData("durably/stream?DurableExecutionArn=nope", "DurableExecutionArn")]
    [InlineData("durably/stream?FunctionName=bad%20name", "FunctionName")]
    public async Task Stream_BadParameter_Is400NamingIt(string path, string parameter)
    {
        using HttpResponseMessage response = await _server.Client.GetAsync(path);

        Assert.Contains(parameter, await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_WithApiKeys_NeedsTheKey()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(), options => options.ApiKeys.Add(Key));

        using HttpResponseMessage refused = await server.Client.GetAsync("durably/stream", HttpCompletionOption.ResponseHeadersRead);
        await ApiAssert.ErrorAsync(refused, HttpStatusCode.Unauthorized, "UnrecognizedClientException");
        Assert.Equal(0, server.Engine.Changes.SubscriberCount);

        await using ServerSentEvents stream = await ServerSentEvents.OpenAsync(server.Client, "durably/stream",
            request => request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key));
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        using var start = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/echo/invocations") { Content = new StringContent("\"k\"") };
        start.Headers.Add("X-Api-Key", Key);
        start.Headers.Add("X-Amz-Invocation-Type", "Event");
        using HttpResponseMessage started = await server.Client.SendAsync(start);
        Assert.Equal(ApiAssert.Header(started, "X-Amz-Durable-Execution-Arn"), Arn(await stream.NextAsync("the started execution")));
    }

    [Fact]
    public async Task Stream_ClientDisconnects_SubscriberIsRemoved()
    {
        ServerSentEvents stream = await OpenAsync("durably/stream");
        Assert.Equal(1, _server.Engine.Changes.SubscriberCount);

        await stream.DisposeAsync();

        Task dropped = _server.Engine.Changes.WhenSubscriberCountIsAsync(0);
        Assert.True(await Task.WhenAny(dropped, Task.Delay(TimeSpan.FromSeconds(10), TimeProvider.System)) == dropped,
            "The server did not drop the disconnected subscriber within 10 s.");
    }

    [Fact]
    public async Task Stream_ServerStops_StreamEnds()
    {
        DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());
        await using ServerSentEvents stream = await ServerSentEvents.OpenAsync(server.Client, "durably/stream");

        Task stopping = server.DisposeAsync().AsTask();

        Assert.True(await stream.EndsAsync(), "The stream did not end when the server stopped.");
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RejectedCheckpoint_PublishesNothing()
    {
        string arn = await _server.Client.StartAsync("approval", "\"x\"");
        await _server.CallbackIdAsync(arn);
        long before = _server.Engine.Changes.LastSequence;

        using HttpResponseMessage rejected = await _server.Client.PostRawAsync(ApiRequests.Execution(arn, "/checkpoint"),
            "{\"CheckpointToken\":\"not-a-token\",\"Updates\":[{\"Id\":\"s1\",\"Type\":\"STEP\",\"Action\":\"START\"}]}");

        await ApiAssert.ErrorAsync(rejected, HttpStatusCode.BadRequest, "InvalidParameterValueException");
        Assert.Equal(before, _server.Engine.Changes.LastSequence);
    }

    private Task<ServerSentEvents> OpenAsync(string path, Action<HttpRequestMessage>? configure = null) =>
        ServerSentEvents.OpenAsync(_server.Client, path, configure);

    private static async Task<List<ServerSentEvent>> ReadUntilClosedAsync(ServerSentEvents stream, string arn)
    {
        var events = new List<ServerSentEvent>();
        while (true)
        {
            ServerSentEvent next = await NextExecutionEventAsync(stream, $"the changes of {arn} until it closes (got {events.Count})");
            if (Arn(next) != arn)
            {
                continue;
            }

            events.Add(next);
            if (Data(next).GetProperty("Status").GetString() != "RUNNING")
            {
                return events;
            }
        }
    }

    /// <summary>The next <c>execution</c> event, past the <c>status-change</c> events (EventSubscriptionStreamTests covers those).</summary>
    private static async Task<ServerSentEvent> NextExecutionEventAsync(ServerSentEvents stream, string waitingFor)
    {
        while (true)
        {
            ServerSentEvent next = await stream.NextAsync(waitingFor);
            if (next.Event != "status-change")
            {
                return next;
            }
        }
    }

    private static JsonElement Data(ServerSentEvent e) => JsonDocument.Parse(e.Data).RootElement;

    private static string? Arn(ServerSentEvent e) => Data(e).GetProperty("DurableExecutionArn").GetString();
}
