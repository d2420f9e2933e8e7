using System.Net;
using Durably.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Durably.Server.Tests;

public sealed class AuthenticationTests
{
    private const string Key = "test-key-0123456789-0123456789-0123";

    public static TheoryData<string, string> AcceptedCredentials => new()
    {
        { "Authorization", $"Bearer {Key}" },
        { "Authorization", $"bearer {Key}" },
        { "X-Api-Key", Key },
        { "Authorization", $"AWS4-HMAC-SHA256 Credential={Key}/20260101/local/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd" },
    };

    public static TheoryData<string, string> RefusedCredentials => new()
    {
        { "Authorization", "Bearer wrong-key" },
        { "Authorization", $"Basic {Key}" },
        { "X-Api-Key", Key + "x" },
        { "X-Api-Key", "" },
        { "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/local/lambda/aws4_request, SignedHeaders=host, Signature=00" },
        { "Authorization", $"AWS4-HMAC-SHA256 Credential={Key}" },
    };

    [Theory]
    [MemberData(nameof(AcceptedCredentials))]
    public async Task WithApiKey_RequestCarryingTheKey_IsServed(string header, string value)
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(), options => options.ApiKeys.Add(Key));

        using HttpResponseMessage response = await SendAsync(server, header, value);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(RefusedCredentials))]
    public async Task WithApiKey_RequestWithoutTheKey_Is401UnrecognizedClient(string header, string value)
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(), options => options.ApiKeys.Add(Key));

        using HttpResponseMessage response = await SendAsync(server, header, value);

        Assert.Contains("API key", await ApiAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "UnrecognizedClientException"), StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task WithApiKey_NoCredentials_Is401_ButHealthIsOpen()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(), options => options.ApiKeys.Add(Key));

        await ApiAssert.ErrorAsync(await server.Client.GetAsync("2015-03-31/functions/"), HttpStatusCode.Unauthorized, "UnrecognizedClientException");
        await ApiAssert.ErrorAsync(await server.Client.InvokeAsync("echo", "\"x\"", "Event"), HttpStatusCode.Unauthorized, "UnrecognizedClientException");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("health")).StatusCode);
        Assert.Empty((await server.Engine.ListExecutionsAsync(new Engine.ListDurableExecutionsRequest { FunctionName = "echo" })).DurableExecutions);
    }

    [Fact]
    public async Task ApiKey_FromConfiguration_IsRequired()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions(),
            host: builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Durably:Server:ApiKeys:0"] = Key }));

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("2015-03-31/functions/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, "X-Api-Key", Key)).StatusCode);
    }

    [Fact]
    public async Task ApiKey_FromConfigureServer_IsRequired()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions().ConfigureServer(options => options.ApiKeys.Add(Key)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("2015-03-31/functions/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, "Authorization", $"Bearer {Key}")).StatusCode);
    }

    [Theory]
    [InlineData("Authorization", "Bearer anything")]
    [InlineData("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00")]
    [InlineData("X-Api-Key", "whatever")]
    public async Task WithoutApiKey_OnLoopback_CredentialsAreIgnored(string header, string value)
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(server, header, value)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("2015-03-31/functions/")).StatusCode);
    }

    private static Task<HttpResponseMessage> SendAsync(DurablyTestServer server, string header, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "2015-03-31/functions/");
        request.Headers.TryAddWithoutValidation(header, value);
        return server.Client.SendAsync(request);
    }
}
