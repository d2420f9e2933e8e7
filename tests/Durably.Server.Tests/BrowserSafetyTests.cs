using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Durably.Server.Routing;
using Durably.Server.Security;
using Durably.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Durably.Server.Tests;

/// <summary>
/// A keyless server on loopback is reachable from every web page open on the machine: it answers only requests a
/// page cannot forge (docs/security.md). Each test sends what a browser, a DNS-rebinding page or a proxy would send.
/// </summary>
public sealed class BrowserSafetyTests : IAsyncLifetime
{
    private DurablyTestServer _server = null!;

    private HttpClient Client => _server.Client;

    private string OwnOrigin => $"http://127.0.0.1:{_server.Address.Port}";

    public async Task InitializeAsync() => _server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("[::1]")]
    public async Task LoopbackHostNames_AreServed_WithOrWithoutThePort(string host)
    {
        using HttpResponseMessage withPort = await SendAsync(HttpMethod.Get, "2015-03-31/functions/", request => request.Headers.Host = $"{host}:{_server.Address.Port}");
        using HttpResponseMessage withoutPort = await SendAsync(HttpMethod.Get, "health", request => request.Headers.Host = host);

        Assert.Equal(HttpStatusCode.OK, withPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withoutPort.StatusCode);
    }

    [Theory]
    [InlineData("2015-03-31/functions/")]
    [InlineData("health")]
    public async Task AnotherHostName_DnsRebinding_Is403_OnEveryRoute(string path)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, request => request.Headers.Host = $"rebind.attacker.example:{_server.Address.Port}");

        string message = await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "AccessDeniedException");
        Assert.Contains("Host header 'rebind.attacker.example", message, StringComparison.Ordinal);
        Assert.Contains("DNS rebinding", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvokeFromAnotherOrigin_Is403_AndStartsNothing()
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "2015-03-31/functions/echo/invocations", request =>
        {
            request.Headers.Add("Origin", "https://attacker.example");
            request.Headers.Add("X-Amz-Invocation-Type", "Event");
            request.Content = new StringContent("\"hi\"", Encoding.UTF8, "text/plain");
        });

        Assert.Contains("web origin 'https://attacker.example'", await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "AccessDeniedException"), StringComparison.Ordinal);
        Assert.Empty((await _server.Engine.ListExecutionsAsync(new Engine.ListDurableExecutionsRequest { FunctionName = "echo" })).DurableExecutions);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("http://localhost:1")]
    public async Task AReadFromAnotherOrigin_Is403(string origin)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "2015-03-31/functions/", request => request.Headers.Add("Origin", origin));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "AccessDeniedException");
    }

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    public async Task ARequestTheBrowserMarksAsFromAnotherPage_Is403_EvenWithoutOrigin(string site)
    {
        // An <img> or <script> on another page (or on another port of localhost) sends no Origin, but Sec-Fetch-Site.
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "2015-03-31/functions/", request => request.Headers.Add("Sec-Fetch-Site", site));

        Assert.Contains($"Sec-Fetch-Site: {site}", await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "AccessDeniedException"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServersOwnOrigin_TheConsole_IsServed()
    {
        using HttpResponseMessage list = await SendAsync(HttpMethod.Get, "2015-03-31/functions/", request => request.Headers.Add("Sec-Fetch-Site", "same-origin"));
        using HttpResponseMessage invoke = await SendAsync(HttpMethod.Post, "2015-03-31/functions/echo/invocations", request =>
        {
            request.Headers.Add("Origin", OwnOrigin);
            request.Headers.Add("Sec-Fetch-Site", "same-origin");
            request.Content = new StringContent("\"hi\"", Encoding.UTF8, "application/json");
        });
        using HttpResponseMessage register = await SendAsync(HttpMethod.Post, "durably/functions", request =>
        {
            request.Headers.Add("Origin", OwnOrigin);
            request.Content = new StringContent("""{"FunctionName":"remote","Url":"http://127.0.0.1:1/"}""", Encoding.UTF8, "application/json");
        });

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("\"HI\"", await invoke.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("X-Forwarded-Host", "durably.example")]
    [InlineData("x-forwarded-proto", "https")]
    [InlineData("Forwarded", "for=203.0.113.7")]
    [InlineData("X-Real-IP", "203.0.113.7")]
    public async Task ARequestPassedOnByAProxy_Is403(string header, string value)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "2015-03-31/functions/", request => request.Headers.TryAddWithoutValidation(header, value));

        Assert.Contains($"proxy header '{header}'", await ApiAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "AccessDeniedException"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task AJsonBodyWithoutApplicationJson_Is415_AndChangesNothing(string? contentType)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "durably/functions", request =>
        {
            request.Content = new ByteArrayContent("""{"FunctionName":"remote","Url":"http://127.0.0.1:1/"}"""u8.ToArray());
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        });

        Assert.Contains("Content-Type: application/json", await ApiAssert.ErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaTypeException"), StringComparison.Ordinal);
        Assert.Null(_server.Engine.Functions.Find("remote", "1"));
    }

    [Fact]
    public async Task RawBodies_AsAwsClientsSendThem_AndEmptyBodies_AreServed()
    {
        string arn = await Client.StartAsync("approval", "\"x\"");
        string callbackId = await _server.CallbackIdAsync(arn);

        using HttpResponseMessage heartbeat = await SendAsync(HttpMethod.Post, ApiRequests.Callback(callbackId, "heartbeat"), _ => { });
        using HttpResponseMessage succeed = await SendAsync(HttpMethod.Post, ApiRequests.Callback(callbackId, "succeed"), request =>
        {
            request.Content = new ByteArrayContent("\"yes\""u8.ToArray());
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        });

        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
        Assert.Equal(HttpStatusCode.OK, succeed.StatusCode);
    }

    [Fact]
    public async Task WithApiKeys_ProxiesAndOtherHostNames_AreServed()
    {
        const string key = "proxy-key-0123456789-0123456789-0123";
        await using DurablyTestServer keyed = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(), options => options.ApiKeys.Add(key));
        using var request = new HttpRequestMessage(HttpMethod.Get, "2015-03-31/functions/");
        request.Headers.Host = "durably.example";
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Api-Key", key);

        using HttpResponseMessage response = await keyed.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// The keyless server refuses to start on anything but loopback, and no test may bind another address, so a request
    /// reaching a non-loopback address cannot be sent for real: this one check runs on a request object.
    /// </summary>
    [Fact]
    public void ARequestReachingANonLoopbackAddress_Is403()
    {
        var context = new DefaultHttpContext();
        context.Connection.LocalIpAddress = IPAddress.Parse("192.0.2.10");
        context.Request.Host = new HostString("localhost");

        DurableServiceException refused = Assert.Throws<DurableServiceException>(() => new ApiKeyAuthenticator(new DurablyServerOptions()).Authenticate(context));

        Assert.Equal((403, ApiErrors.AccessDenied), (refused.StatusCode, refused.ErrorCode));
        Assert.Contains("answers only on loopback addresses", refused.Message, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Action<HttpRequestMessage> shape)
    {
        using var request = new HttpRequestMessage(method, path);
        shape(request);
        return await Client.SendAsync(request);
    }
}
