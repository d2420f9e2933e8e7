using System.Net;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

/// <summary>The 6 MiB request limits (docs/server.md "Errors"): answered 413 before the body is read whole, whether its length is announced or not.</summary>
public sealed class RequestLimitTests : IAsyncLifetime
{
    private const int SixMiB = 6 * 1024 * 1024;

    private DurablyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ARequestResponseInvokeOver6MiB_Is413_NamingTheLimit_AndStartsNothing()
    {
        using HttpResponseMessage response = await _server.Client.InvokeAsync("echo", $"\"{new string('a', SixMiB)}\"");

        Assert.Contains($"the limit is {SixMiB} bytes", await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "RequestTooLargeException"), StringComparison.Ordinal);
        Assert.Empty((await _server.Engine.ListExecutionsAsync(new Engine.ListDurableExecutionsRequest { FunctionName = "echo" })).DurableExecutions);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACheckpointBodyOver6MiB_Is413_NamingTheLimit(bool lengthAnnounced)
    {
        string arn = await _server.Client.StartAsync("sleeper", "\"x\"");
        byte[] body = new byte[SixMiB + 1];
        Array.Fill(body, (byte)' ');
        HttpContent content = lengthAnnounced ? new ByteArrayContent(body) : new StreamContent(new UnannouncedLengthStream(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using HttpResponseMessage response = await _server.Client.PostAsync(ApiRequests.Execution(arn, "/checkpoint"), content);

        Assert.Equal(lengthAnnounced, content.Headers.ContentLength is not null);
        Assert.Contains($"the limit is {SixMiB} bytes", await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "RequestTooLargeException"), StringComparison.Ordinal);
    }

    /// <summary>A body whose length HttpClient cannot know, so it is sent chunked.</summary>
    private sealed class UnannouncedLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
