using System.Net.Http.Json;
using System.Text.Json;
using Durably.Protocol;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

/// <summary>
/// History and state pages are capped in payload bytes as well as in items (about 1 MiB, at least one item, NextMarker
/// continuing), answers are streamed, and a payload of quotes is written with <c>\"</c>, not <c>\u0022</c>.
/// </summary>
public sealed class ResponsePagingTests : IAsyncLifetime
{
    private const int PageBytes = 1024 * 1024;
    private const int Steps = 12;
    private const int StepPayloadBytes = 200_000;

    private readonly InvocationProbe _probe = new();
    private DurablyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await DurablyTestServer.StartAsync(durably => durably.AddRawFunction("probe", _probe.Handler));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task StateOfLargePayloads_PagesByBytes_EveryOperationOnceAndEachPageUnderTheCap()
    {
        (string arn, ProbedInvocation invocation) = await StartWithLargeStepsAsync();
        string token = Uri.EscapeDataString(invocation.Input.CheckpointToken);

        var ids = new List<string>();
        string? marker = null;
        int pages = 0;
        do
        {
            using HttpResponseMessage response = await _server.Client.GetAsync(ApiRequests.Execution(arn, $"/state?CheckpointToken={token}&MaxItems=1000&Marker={marker}"));
            // Streamed: written as it is serialized, so the length is not known up front.
            Assert.True(response.Headers.TransferEncodingChunked);
            (JsonElement page, int bytes) = await ReadPageAsync(response);
            JsonElement[] operations = [.. page.GetProperty("Operations").EnumerateArray()];
            Assert.NotEmpty(operations);
            Assert.InRange(bytes, 1, PageBytes + 16_384);
            Assert.InRange(operations.Sum(op => ResultLength(op)), 0, PageBytes);
            ids.AddRange(operations.Select(op => op.GetProperty("Id").GetString()!));
            marker = page.TryGetProperty("NextMarker", out JsonElement next) ? next.GetString() : null;
            pages++;
        }
        while (marker is not null && pages < 20);

        Assert.Equal([ExecutionId(arn), .. Enumerable.Range(0, Steps).Select(StepId)], ids);
        Assert.InRange(pages, 3, Steps);
        invocation.Return(InvocationStatus.Succeeded, "\"done\"");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HistoryOfLargePayloads_PagesByBytes_EveryEventOnceAndEachPageUnderTheCap(bool reverseOrder)
    {
        (string arn, ProbedInvocation invocation) = await StartWithLargeStepsAsync();
        invocation.Return(InvocationStatus.Succeeded, "\"done\"");
        await _server.IdleAsync();

        var eventIds = new List<int>();
        string? marker = null;
        int pages = 0;
        do
        {
            using HttpResponseMessage response = await _server.Client.GetAsync(ApiRequests.Execution(arn, $"/history?MaxItems=1000&ReverseOrder={reverseOrder}&Marker={marker}"));
            (JsonElement page, int bytes) = await ReadPageAsync(response);
            JsonElement[] events = [.. page.GetProperty("Events").EnumerateArray()];
            Assert.NotEmpty(events);
            Assert.InRange(bytes, 1, PageBytes + 16_384);
            eventIds.AddRange(events.Select(e => e.GetProperty("EventId").GetInt32()));
            marker = page.TryGetProperty("NextMarker", out JsonElement next) ? next.GetString() : null;
            pages++;
        }
        while (marker is not null && pages < 40);

        int count = (await _server.Engine.GetHistoryAsync(arn, maxItems: 1000, includeExecutionData: false)).Events.Count;
        IEnumerable<int> expected = Enumerable.Range(1, count);
        Assert.Equal(reverseOrder ? expected.Reverse() : expected, eventIds);
        Assert.InRange(pages, 3, Steps);
    }

    [Fact]
    public async Task PayloadOfQuotes_IsEscapedWithABackslash_NotAsUnicode()
    {
        string arn = await _server.Client.StartAsync("probe", "{\"n\":1}");
        ProbedInvocation invocation = await _probe.NextAsync();
        string quotes = new('"', 262_144);
        await CheckpointAsync(arn, invocation.Input.CheckpointToken, StepUpdates(StepId(0), quotes));
        string token = Uri.EscapeDataString(invocation.Input.CheckpointToken);

        using HttpResponseMessage state = await _server.Client.GetAsync(ApiRequests.Execution(arn, $"/state?CheckpointToken={token}"));
        (JsonElement page, int stateBytes) = await ReadPageAsync(state);
        invocation.Return(InvocationStatus.Succeeded, "\"done\"");
        await _server.IdleAsync();
        using HttpResponseMessage history = await _server.Client.GetAsync(ApiRequests.Execution(arn, "/history"));
        (_, int historyBytes) = await ReadPageAsync(history);

        Assert.Equal(quotes, page.GetProperty("Operations")[1].GetProperty("StepDetails").GetProperty("Result").GetString());
        // Each '"' must be escaped in a JSON string, so 2 bytes is the least it can take; \u0022 took 6 (1.5 MB here).
        Assert.InRange(stateBytes, 2 * 262_144, (2 * 262_144) + 4096);
        Assert.InRange(historyBytes, 2 * 262_144, (2 * 262_144) + 4096);
    }

    [Fact]
    public async Task StateOfQuotePayloads_PagesByTheirEscapedSize()
    {
        string arn = await _server.Client.StartAsync("probe", "{\"n\":1}");
        ProbedInvocation invocation = await _probe.NextAsync();
        string token = invocation.Input.CheckpointToken;
        for (int step = 0; step < 6; step++)
        {
            // 200,000 quotes: 200 KB as UTF-8, 400 KB as a JSON string.
            token = await CheckpointAsync(arn, token, StepUpdates(StepId(step), new string('"', StepPayloadBytes)));
        }

        var sizes = new List<int>();
        string? marker = null;
        do
        {
            using HttpResponseMessage response = await _server.Client.GetAsync(ApiRequests.Execution(arn, $"/state?CheckpointToken={Uri.EscapeDataString(token)}&Marker={marker}"));
            (JsonElement page, int bytes) = await ReadPageAsync(response);
            sizes.Add(bytes);
            marker = page.TryGetProperty("NextMarker", out JsonElement next) ? next.GetString() : null;
        }
        while (marker is not null && sizes.Count < 10);

        Assert.All(sizes, bytes => Assert.InRange(bytes, 1, PageBytes + 16_384));
        Assert.Equal(3, sizes.Count);
        invocation.Return(InvocationStatus.Succeeded, "\"done\"");
    }

    /// <summary>Starts the probe and checkpoints <see cref="Steps"/> steps of 200 KB results (in three requests, each under 6 MiB).</summary>
    private async Task<(string Arn, ProbedInvocation Invocation)> StartWithLargeStepsAsync()
    {
        string arn = await _server.Client.StartAsync("probe", "{\"n\":1}");
        ProbedInvocation invocation = await _probe.NextAsync();
        string token = invocation.Input.CheckpointToken;
        for (int first = 0; first < Steps; first += 4)
        {
            OperationUpdate[] updates = [.. Enumerable.Range(first, 4).SelectMany(step => StepUpdates(StepId(step), new string((char)('a' + step), StepPayloadBytes)))];
            token = await CheckpointAsync(arn, token, updates);
        }

        return (arn, invocation);
    }

    private async Task<string> CheckpointAsync(string arn, string token, IEnumerable<OperationUpdate> updates)
    {
        var request = new CheckpointDurableExecutionRequest { DurableExecutionArn = arn, CheckpointToken = token, Updates = [.. updates] };
        using HttpResponseMessage response = await _server.Client.PostAsJsonAsync(ApiRequests.Execution(arn, "/checkpoint"), request, DurablyJson.Api);
        return (await ApiAssert.JsonAsync(response)).GetProperty("CheckpointToken").GetString()!;
    }

    private static async Task<(JsonElement Page, int Bytes)> ReadPageAsync(HttpResponseMessage response)
    {
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 500))}");
        return (JsonDocument.Parse(body).RootElement, body.Length);
    }

    private static OperationUpdate[] StepUpdates(string id, string result) =>
    [
        new() { Id = id, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Start },
        new() { Id = id, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Succeed, Payload = result },
    ];

    private static int ResultLength(JsonElement operation) =>
        operation.TryGetProperty("StepDetails", out JsonElement step) && step.TryGetProperty("Result", out JsonElement result) ? result.GetString()!.Length : 0;

    private static string StepId(int step) => $"step-{step}";

    private static string ExecutionId(string arn) => arn[(arn.LastIndexOf('/') + 1)..];
}
